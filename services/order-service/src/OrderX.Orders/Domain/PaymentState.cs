namespace OrderX.Orders.Domain;

/// <summary>What the order service knows of the order's payment.</summary>
public static class PaymentState
{
    public const string Succeeded = "succeeded";
    public const string Declined = "declined";
    public const string RefundRequested = "refund_requested";
    public const string Refunded = "refunded";
}
