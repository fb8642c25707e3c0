namespace OrderX.Orders.Domain;

/// <summary>What the order service knows of the order's stock reservation.</summary>
public static class StockState
{
    public const string Reserved = "reserved";
    public const string Rejected = "rejected";
    public const string Released = "released";
}
