namespace OrderX.Contracts;

public sealed record PaymentFailed(Guid OrderId, Guid PaymentId, decimal Amount, string Currency, string Reason) : IOrderEvent
{
    public static string EventType => "payment.failed";
}
