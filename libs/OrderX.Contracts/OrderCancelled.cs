namespace OrderX.Contracts;

/// <summary>
/// The order will not be fulfilled. <see cref="ReasonCode"/> is one of <see cref="CancellationReasons"/>;
/// <see cref="Reason"/> is the sentence the customer reads. The product service releases any reservation on it.
/// </summary>
public sealed record OrderCancelled(Guid OrderId, Guid UserId, string CustomerEmail, string ReasonCode, string Reason) : IOrderEvent
{
    public static string EventType => "order.cancelled";
}
