using OrderX.Contracts;

namespace OrderX.Messaging.Consumers;

/// <summary>
/// Applies one event to the service's database. Handlers change tracked entities and add outbox rows but never
/// call SaveChanges: the dispatcher commits the effect, the outbox rows and the inbox record together.
/// </summary>
public interface IIntegrationEventHandler<in TEvent> where TEvent : IIntegrationEvent
{
    Task HandleAsync(TEvent integrationEvent, EventEnvelope envelope, CancellationToken cancellationToken);
}
