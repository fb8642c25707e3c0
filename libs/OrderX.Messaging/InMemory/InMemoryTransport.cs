using OrderX.Messaging.Transport;

namespace OrderX.Messaging.InMemory;

public sealed class InMemoryTransport(InMemoryBroker broker, int consumersPerSubscription = 32) : IMessageTransport
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _consumers = [];

    public string Name => "in-memory";

    public bool IsConnected => true;

    public Task PublishAsync(TransportMessage message, CancellationToken cancellationToken) =>
        broker.PublishAsync(message, cancellationToken);

    public Task SubscribeAsync(Subscription subscription, MessageHandler handler, CancellationToken cancellationToken)
    {
        var queue = broker.Bind(subscription);
        lock (_consumers)
        {
            for (var i = 0; i < consumersPerSubscription; i++)
                _consumers.Add(queue.ConsumeAsync(handler, _stopping.Token));
        }
        return Task.CompletedTask;
    }

    public ValueTask<SubscriptionBacklog?> BacklogAsync(Subscription subscription, CancellationToken cancellationToken) =>
        ValueTask.FromResult<SubscriptionBacklog?>(new SubscriptionBacklog(broker.Bind(subscription).Waiting, IsConsumerLag: false));

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _stopping.CancelAsync();
        Task[] running;
        lock (_consumers) running = [.. _consumers];
        await Task.WhenAll(running);
        _stopping.Dispose();
    }
}
