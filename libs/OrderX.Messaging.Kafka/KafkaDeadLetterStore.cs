using Confluent.Kafka;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Kafka;

/// <summary>Kafka's dead letters as a <see cref="IDeadLetterStore"/>: one place per service, its dead-letter topic.</summary>
public sealed class KafkaDeadLetterStore(KafkaOptions options) : IDeadLetterStore
{
    private readonly KafkaDeadLetters _deadLetters = new(options);
    private readonly KafkaNames _names = new(options.Prefix);

    public IReadOnlyList<string> PlacesOf(string service, IEnumerable<string> eventTypes) => [_names.DeadLetterTopic(service)];

    public Task<long?> CountAsync(string place, CancellationToken cancellationToken) =>
        OnBrokerAsync(place, service => Task.FromResult<long?>(_deadLetters.Count(service)));

    public Task<IReadOnlyList<DeadLetterMessage>> PeekAsync(string place, int max, CancellationToken cancellationToken) =>
        OnBrokerAsync(place, service => Task.FromResult<IReadOnlyList<DeadLetterMessage>>(_deadLetters.Peek(service, max)
            .Select(l => new DeadLetterMessage(l.MessageId, l.Type, l.Subject, $"{l.Error} (from {l.Origin}, after {l.Deliveries} deliveries)", l.Body))
            .ToList()));

    public Task<int> ReplayAsync(string place, CancellationToken cancellationToken) =>
        OnBrokerAsync(place, service => _deadLetters.ReplayAsync(service, cancellationToken));

    public Task<int> DiscardAsync(string place, CancellationToken cancellationToken) =>
        OnBrokerAsync(place, service => Task.FromResult(_deadLetters.Discard(service)));

    /// <summary>The librdkafka calls block: off the caller's thread, and a cluster that does not answer is reported as such.</summary>
    private async Task<T> OnBrokerAsync<T>(string place, Func<string, Task<T>> work)
    {
        var service = ServiceOf(place);
        try
        {
            return await Task.Run(() => work(service));
        }
        catch (KafkaException error)
        {
            throw new TransportUnavailableException($"Kafka at {options.BootstrapServers}: {error.Error.Reason}", error);
        }
    }

    private string ServiceOf(string place)
    {
        var prefix = _names.Group("");
        if (!place.StartsWith(prefix, StringComparison.Ordinal) || !place.EndsWith(".dlq", StringComparison.Ordinal) || place.Length <= prefix.Length + 4)
            throw new ArgumentException($"'{place}' is not a dead-letter topic of this installation.", nameof(place));
        return place[prefix.Length..^4];
    }
}
