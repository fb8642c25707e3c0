namespace OrderX.Orders.Domain;

/// <summary>History causes that are not integration events.</summary>
public static class OrderCauses
{
    public const string Placed = "order.placed";
    public const string CustomerCancel = "customer.cancel";
    public const string Timeout = "order.timeout";
}
