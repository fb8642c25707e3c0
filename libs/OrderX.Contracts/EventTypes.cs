namespace OrderX.Contracts;

/// <summary>The routing names every transport uses; the first three are the seed's topic names.</summary>
public static class EventTypes
{
    public const string OrderCreated = "order.created";
    public const string PaymentSucceeded = "payment.success";
    public const string PaymentFailed = "payment.failed";
    public const string OrderCompleted = "order.completed";
    public const string OrderCancelled = "order.cancelled";
    public const string StockReserved = "stock.reserved";
    public const string StockRejected = "stock.rejected";
    public const string StockReleased = "stock.released";
    public const string PaymentRefund = "payment.refund";
    public const string PaymentRefunded = "payment.refunded";
}
