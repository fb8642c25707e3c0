using Microsoft.Extensions.DependencyInjection;
using OrderX.Contracts;

namespace OrderX.Messaging.Consumers;

/// <summary>One handled event type of a service: what to subscribe to and how to invoke its handler.</summary>
public sealed record EventSubscription(
    string EventType,
    string Consumer,
    Func<IServiceProvider, EventEnvelope, CancellationToken, Task> Invoke)
{
    public static EventSubscription For<TEvent, THandler>()
        where TEvent : IIntegrationEvent
        where THandler : IIntegrationEventHandler<TEvent> =>
        new(TEvent.EventType,
            typeof(THandler).Name,
            (services, envelope, ct) => services.GetRequiredService<THandler>().HandleAsync(envelope.DataAs<TEvent>(), envelope, ct));
}
