using System.Text;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.InMemory;

/// <summary>The in-process bus's dead letters: a list per queue, in the process's memory.</summary>
public sealed class InMemoryDeadLetterStore(InMemoryBroker broker) : IDeadLetterStore
{
    public IReadOnlyList<string> PlacesOf(string service, IEnumerable<string> eventTypes) =>
        eventTypes.Select(eventType => new Subscription(service, eventType).QueueName).ToList();

    public Task<long?> CountAsync(string place, CancellationToken cancellationToken) =>
        Task.FromResult<long?>(broker.TryGetQueue(place, out _) ? broker.DeadLetters.Count(d => d.Queue == place) : null);

    public Task<IReadOnlyList<DeadLetterMessage>> PeekAsync(string place, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DeadLetterMessage>>(broker.DeadLetters.Where(d => d.Queue == place).Take(max)
            .Select(d => new DeadLetterMessage(d.Message.Id.ToString(), d.Message.Type, d.Message.Key, d.Error, Encoding.UTF8.GetString(d.Message.Body.Span)))
            .ToList());

    public Task<int> ReplayAsync(string place, CancellationToken cancellationToken)
    {
        if (!broker.TryGetQueue(place, out var queue))
            return Task.FromResult(0);
        var taken = broker.TakeDeadLetters(place);
        foreach (var letter in taken)
            queue.Requeue(letter.Message);
        return Task.FromResult(taken.Count);
    }

    public Task<int> DiscardAsync(string place, CancellationToken cancellationToken) =>
        Task.FromResult(broker.TakeDeadLetters(place).Count);
}
