namespace OrderX.Contracts;

/// <summary>The routing names every transport uses; they are the seed's topic names.</summary>
public static class EventTypes
{
    public const string OrderCreated = "order.created";
    public const string PaymentSucceeded = "payment.success";
    public const string PaymentFailed = "payment.failed";
    public const string OrderCompleted = "order.completed";
    public const string OrderCancelled = "order.cancelled";
}
