namespace OrderX.Contracts;

public sealed record OrderCreated(
    Guid OrderId,
    Guid UserId,
    string CustomerEmail,
    decimal Total,
    string Currency,
    IReadOnlyList<OrderLine> Lines) : IIntegrationEvent;
