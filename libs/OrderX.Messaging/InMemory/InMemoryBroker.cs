using System.Collections.Concurrent;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.InMemory;

/// <summary>
/// The in-process bus of the embedded mode: one queue per subscription, competing readers, redelivery with
/// back-off and a dead-letter list. A publish is confirmed only once every bound queue has finished with the
/// message (handled or dead-lettered), so a process that dies mid-flight leaves the outbox row unsent and the
/// message is republished on restart; consumers' inboxes absorb the repeat.
/// </summary>
public sealed class InMemoryBroker
{
    /// <summary>The bus every service of one all-in-one process shares.</summary>
    public static InMemoryBroker Shared { get; } = new();

    private readonly ConcurrentDictionary<string, InMemoryQueue> _queues = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, InMemoryQueue>> _bindings = new();

    public DeliveryPolicy Policy { get; init; } = new();

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    private readonly List<DeadLetter> _deadLetters = [];

    /// <summary>Every dead letter of every queue, oldest first. They live as long as the process: the embedded mode's limit.</summary>
    public IReadOnlyList<DeadLetter> DeadLetters
    {
        get { lock (_deadLetters) return [.. _deadLetters]; }
    }

    private readonly List<Action<TransportMessage>> _watchers = [];

    public Task PublishAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        // A queue nobody consumes yet (its part not started, or left out of this process) cannot confirm: the
        // message is refused for every queue and stays in the outbox, as a durable broker queue would hold it.
        if (!_bindings.TryGetValue(message.Type, out var queues) || queues.IsEmpty || queues.Values.Any(q => !q.HasConsumers))
            throw new UnroutableMessageException(message.Type);
        Action<TransportMessage>[] watchers;
        lock (_watchers) watchers = [.. _watchers];
        foreach (var watcher in watchers)
            watcher(message);
        return Task.WhenAll(queues.Values.Select(q => q.EnqueueAsync(message, cancellationToken)));
    }

    public InMemoryQueue Bind(Subscription subscription)
    {
        var queue = _queues.GetOrAdd(subscription.QueueName, name => new InMemoryQueue(name, this));
        _bindings.GetOrAdd(subscription.EventType, _ => new()).TryAdd(queue.Name, queue);
        return queue;
    }

    /// <summary>The queues bound so far, by name.</summary>
    public bool TryGetQueue(string name, out InMemoryQueue queue) => _queues.TryGetValue(name, out queue!);

    /// <summary>Calls <paramref name="watcher"/> with every message routed from now on, until the returned handle is disposed.</summary>
    public IDisposable Watch(Action<TransportMessage> watcher)
    {
        lock (_watchers) _watchers.Add(watcher);
        return new Unwatch(() => { lock (_watchers) _watchers.Remove(watcher); });
    }

    internal void DeadLetter(string queue, TransportMessage message, Exception error)
    {
        lock (_deadLetters) _deadLetters.Add(new DeadLetter(queue, message, error.Message, Clock.GetUtcNow().UtcDateTime));
    }

    /// <summary>Removes and returns the dead letters of <paramref name="queue"/>.</summary>
    public IReadOnlyList<DeadLetter> TakeDeadLetters(string queue)
    {
        lock (_deadLetters)
        {
            var taken = _deadLetters.Where(d => d.Queue == queue).ToList();
            _deadLetters.RemoveAll(d => d.Queue == queue);
            return taken;
        }
    }

    private sealed class Unwatch(Action stop) : IDisposable
    {
        public void Dispose() => stop();
    }
}

public sealed record DeadLetter(string Queue, TransportMessage Message, string Error, DateTime DeadLetteredAt);
