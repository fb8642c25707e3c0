using OrderX.Messaging.Transport;

namespace OrderX.Messaging.InMemory;

/// <summary>Watches the in-process bus: a copy of each routed message, in a bounded buffer of the watcher's own.</summary>
public sealed class InMemoryBusWatch(InMemoryBroker broker) : IBusWatch
{
    public Task<BusWatcher> StartAsync(IReadOnlyCollection<string> eventTypes, CancellationToken cancellationToken)
    {
        var seen = BusWatcher.NewBuffer();
        var wanted = eventTypes.ToHashSet(StringComparer.Ordinal);
        // The body is copied: the publisher's buffer is its own once the publish returns.
        var watch = broker.Watch(message =>
        {
            if (wanted.Contains(message.Type))
                seen.Writer.TryWrite(message with { Body = message.Body.ToArray() });
        });
        return Task.FromResult(new BusWatcher(seen.Reader, () =>
        {
            watch.Dispose();
            seen.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }));
    }
}
