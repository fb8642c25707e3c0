namespace OrderX.Messaging.Transport;

public delegate Task MessageHandler(IncomingMessage message, CancellationToken cancellationToken);

/// <summary>
/// What the outbox relay and the consumers need from a broker. Implementations own redelivery and
/// dead-lettering, because only they know how their broker counts deliveries.
/// </summary>
public interface IMessageTransport : IAsyncDisposable
{
    string Name { get; }

    bool IsConnected { get; }

    /// <summary>Completes when the broker has durably accepted the message; throws when it refused or did not confirm.</summary>
    Task PublishAsync(TransportMessage message, CancellationToken cancellationToken);

    /// <summary>Starts consuming; the handler's completion acknowledges, its exception asks for a redelivery.</summary>
    Task SubscribeAsync(Subscription subscription, MessageHandler handler, CancellationToken cancellationToken);

    /// <summary>What waits for a subscription this transport consumes, or null while the broker cannot tell.</summary>
    ValueTask<SubscriptionBacklog?> BacklogAsync(Subscription subscription, CancellationToken cancellationToken) =>
        ValueTask.FromResult<SubscriptionBacklog?>(null);
}
