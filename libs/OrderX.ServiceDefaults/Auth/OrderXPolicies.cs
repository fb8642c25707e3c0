namespace OrderX.ServiceDefaults.Auth;

/// <summary>Authorization policy names, the same in every service and in the gateway's routes.</summary>
public static class OrderXPolicies
{
    /// <summary>Any signed-in account.</summary>
    public const string Customer = "customer";
    public const string Admin = "admin";
}
