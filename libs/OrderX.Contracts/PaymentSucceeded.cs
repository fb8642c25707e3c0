namespace OrderX.Contracts;

public sealed record PaymentSucceeded(Guid OrderId, Guid PaymentId, decimal Amount, string Currency) : IIntegrationEvent;
