using System.Collections.Concurrent;
using System.Text.Json;
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
    private string? _deadLetterFile;

    /// <summary>Every dead letter of every queue, oldest first.</summary>
    public IReadOnlyList<DeadLetter> DeadLetters
    {
        get { lock (_deadLetters) return [.. _deadLetters]; }
    }

    // Copied on change, read without a lock: every publish looks, and almost always finds nobody watching.
    private Action<TransportMessage>[] _watchers = [];
    private readonly Lock _watchersChange = new();

    public Task PublishAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        // A queue nobody consumes yet (its part not started, or left out of this process) cannot confirm: the
        // message is refused for every queue and stays in the outbox, as a durable broker queue would hold it.
        if (!_bindings.TryGetValue(message.Type, out var queues) || queues.IsEmpty || queues.Values.Any(q => !q.HasConsumers))
            throw new UnroutableMessageException(message.Type);
        foreach (var watcher in Volatile.Read(ref _watchers))
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
        lock (_watchersChange) _watchers = [.. _watchers, watcher];
        return new Unwatch(() => { lock (_watchersChange) _watchers = [.. _watchers.Where(w => w != watcher)]; });
    }

    /// <summary>
    /// Keeps the dead letters in <paramref name="file"/> as well (one JSON line each), and takes back those a previous
    /// run left there: a dead letter's publish is confirmed, so without the file a restart would lose it. A line cut
    /// short by a crash is skipped: its delivery was never settled, and the outbox publishes the message again.
    /// </summary>
    public void KeepDeadLettersIn(string file)
    {
        file = Path.GetFullPath(file);
        lock (_deadLetters)
        {
            if (_deadLetterFile is not null)
            {
                if (_deadLetterFile != file)
                    throw new InvalidOperationException($"The bus keeps its dead letters in {_deadLetterFile} already.");
                return;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            if (File.Exists(file))
                foreach (var line in File.ReadLines(file))
                    if (StoredDeadLetter.Read(line) is { } stored)
                        _deadLetters.Add(stored.ToDeadLetter());
            _deadLetterFile = file;
        }
    }

    internal void DeadLetter(string queue, TransportMessage message, Exception error)
    {
        var letter = new DeadLetter(queue, message, error.Message, Clock.GetUtcNow().UtcDateTime);
        lock (_deadLetters)
        {
            // Written before the delivery settles (the caller settles it after this returns), so confirmed means kept.
            if (_deadLetterFile is not null)
                File.AppendAllText(_deadLetterFile, StoredDeadLetter.Line(letter) + "\n");
            _deadLetters.Add(letter);
        }
    }

    /// <summary>Removes and returns the dead letters of <paramref name="queue"/>.</summary>
    public IReadOnlyList<DeadLetter> TakeDeadLetters(string queue)
    {
        lock (_deadLetters)
        {
            var taken = _deadLetters.Where(d => d.Queue == queue).ToList();
            if (taken.Count == 0)
                return taken;
            _deadLetters.RemoveAll(d => d.Queue == queue);
            if (_deadLetterFile is not null)
            {
                var scratch = _deadLetterFile + ".new";
                File.WriteAllLines(scratch, _deadLetters.Select(StoredDeadLetter.Line));
                File.Move(scratch, _deadLetterFile, overwrite: true);
            }
            return taken;
        }
    }

    private sealed record StoredDeadLetter(string Queue, Guid Id, string Type, string Key, byte[] Body, string Error, DateTime DeadLetteredAt)
    {
        public static string Line(DeadLetter letter) => JsonSerializer.Serialize(new StoredDeadLetter(letter.Queue, letter.Message.Id,
            letter.Message.Type, letter.Message.Key, letter.Message.Body.ToArray(), letter.Error, letter.DeadLetteredAt), JsonSerializerOptions.Web);

        public static StoredDeadLetter? Read(string line)
        {
            try
            {
                return line.Length == 0 ? null : JsonSerializer.Deserialize<StoredDeadLetter>(line, JsonSerializerOptions.Web);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        public DeadLetter ToDeadLetter() => new(Queue, new TransportMessage(Id, Type, Key, Body), Error, DeadLetteredAt);
    }

    private sealed class Unwatch(Action stop) : IDisposable
    {
        public void Dispose() => stop();
    }
}

public sealed record DeadLetter(string Queue, TransportMessage Message, string Error, DateTime DeadLetteredAt);
