namespace OrderX.Contracts;

/// <summary>
/// A command from the order service: give back the money of a payment whose order was cancelled.
/// Carries the customer so that the refund can be announced to them without another look-up.
/// </summary>
public sealed record PaymentRefund(Guid OrderId, Guid PaymentId, Guid UserId, string CustomerEmail, string Reason) : IOrderEvent
{
    public static string EventType => "payment.refund";
}
