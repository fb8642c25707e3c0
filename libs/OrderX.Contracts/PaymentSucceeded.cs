namespace OrderX.Contracts;

/// <summary>One of the three topics the original flow specification names: order.created, payment.success, order.completed.</summary>
public sealed record PaymentSucceeded(Guid OrderId, Guid PaymentId, decimal Amount, string Currency) : IOrderEvent
{
    public static string EventType => "payment.success";
}
