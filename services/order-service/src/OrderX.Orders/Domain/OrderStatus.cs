namespace OrderX.Orders.Domain;

public static class OrderStatus
{
    public const string Pending = "pending";
    public const string Paid = "paid";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Pending, Paid, Cancelled];
}
