namespace OrderX.ServiceDefaults.Auth;

public static class OrderXRoles
{
    public const string Customer = "customer";
    public const string Admin = "admin";
}
