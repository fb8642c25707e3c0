namespace OrderX.Contracts;

public sealed record OrderCompleted(Guid OrderId, Guid UserId, string CustomerEmail, decimal Total, string Currency) : IIntegrationEvent;
