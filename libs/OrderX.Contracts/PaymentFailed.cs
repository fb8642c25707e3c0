namespace OrderX.Contracts;

public sealed record PaymentFailed(Guid OrderId, Guid PaymentId, decimal Amount, string Currency, string Reason) : IIntegrationEvent;
