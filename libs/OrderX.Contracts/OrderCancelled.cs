namespace OrderX.Contracts;

/// <summary>The order will not be fulfilled; <see cref="Status"/> is the order's final state (e.g. payment_failed).</summary>
public sealed record OrderCancelled(Guid OrderId, Guid UserId, string CustomerEmail, string Status, string Reason) : IIntegrationEvent;
