namespace OrderX.Contracts;

/// <summary>One of the three topics the original flow specification names: order.created, payment.success, order.completed.</summary>
public sealed record OrderCreated(
    Guid OrderId,
    Guid UserId,
    string CustomerEmail,
    decimal Total,
    string Currency,
    IReadOnlyList<OrderLine> Lines) : IOrderEvent
{
    public static string EventType => "order.created";
}
