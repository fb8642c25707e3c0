namespace OrderX.Contracts;

public sealed record PaymentRefunded(
    Guid OrderId,
    Guid PaymentId,
    Guid UserId,
    string CustomerEmail,
    decimal Amount,
    string Currency) : IOrderEvent
{
    public static string EventType => "payment.refunded";
}
