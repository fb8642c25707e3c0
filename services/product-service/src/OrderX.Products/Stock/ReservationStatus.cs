namespace OrderX.Products.Stock;

public static class ReservationStatus
{
    public const string Reserved = "reserved";
    public const string Rejected = "rejected";
    public const string Released = "released";
    public const string Sold = "sold";
    /// <summary>The order was cancelled before its stock was looked at: nothing may be reserved for it any more.</summary>
    public const string Cancelled = "cancelled";
}
