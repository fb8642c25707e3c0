using OrderX.Contracts;

namespace OrderX.Notifications.IntegrationEvents;

/// <summary>What a customer is told about; one notification of each kind per order.</summary>
public static class NotificationKinds
{
    public const string OrderCompleted = "order_completed";
    public const string PaymentDeclined = "payment_declined";
    public const string OutOfStock = "out_of_stock";
    public const string OrderCancelled = "order_cancelled";
    public const string PaymentRefunded = "payment_refunded";

    public static string ForCancellation(string reasonCode) => reasonCode switch
    {
        CancellationReasons.PaymentDeclined => PaymentDeclined,
        CancellationReasons.OutOfStock => OutOfStock,
        _ => OrderCancelled,
    };
}
