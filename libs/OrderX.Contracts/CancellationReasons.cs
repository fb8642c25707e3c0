namespace OrderX.Contracts;

/// <summary>Why an order was cancelled: the codes <see cref="OrderCancelled.ReasonCode"/> carries.</summary>
public static class CancellationReasons
{
    public const string PaymentDeclined = "payment_declined";
    public const string OutOfStock = "out_of_stock";
    public const string Timeout = "timeout";
    public const string CustomerRequest = "customer_request";
}
