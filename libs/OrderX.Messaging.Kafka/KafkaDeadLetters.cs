using System.Text;
using Confluent.Kafka;

namespace OrderX.Messaging.Kafka;

public sealed record KafkaDeadLetter(string MessageId, string Type, string? Subject, string? Error, string Origin, string Deliveries, string Body);

/// <summary>
/// What an operator does with a service's Kafka dead letters: look at those not settled yet, and once the fault is
/// fixed, replay them onto the service's replay topic, which only that service's group reads (other services that
/// already handled the events are not bothered; inboxes make a repeat harmless), or discard them. What was settled is
/// remembered as the committed offsets of a group of its own on the dead-letter topic: the dead letters themselves
/// stay, as everything does on Kafka, until the topic's retention removes them.
/// </summary>
public sealed class KafkaDeadLetters(KafkaOptions options)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly KafkaNames _names = new(options.Prefix);

    public int Count(string service) => Pending(service, int.MaxValue, read: false).Count;

    /// <summary>Up to <paramref name="max"/> dead letters of the service that were not settled yet, left where they are.</summary>
    public IReadOnlyList<KafkaDeadLetter> Peek(string service, int max = 50) =>
        Pending(service, max, read: true).Select(p => Describe(p.Record!)).ToList();

    /// <summary>Writes every dead letter not settled yet to the service's replay topic; returns how many.</summary>
    public async Task<int> ReplayAsync(string service, CancellationToken cancellationToken = default)
    {
        var pending = Pending(service, int.MaxValue, read: true);
        if (pending.Count == 0)
            return 0;
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig(Config()) { EnableIdempotence = true, Acks = Acks.All })
            .SetLogHandler((_, _) => { }).Build();
        foreach (var (_, _, record) in pending)
        {
            var headers = new Headers();
            foreach (var name in new[] { KafkaHeaders.Id, KafkaHeaders.Type })
                if (record!.Message.Headers.TryGetLastBytes(name, out var value))
                    headers.Add(name, value);
            await producer.ProduceAsync(_names.ReplayTopic(service),
                new Message<string, byte[]> { Key = record!.Message.Key, Value = record.Message.Value, Headers = headers }, cancellationToken);
        }
        // Only once every replayed copy is confirmed is it marked settled: a crash in between replays some twice, never none.
        Settle(service, pending);
        return pending.Count;
    }

    /// <summary>Marks every dead letter not settled yet as settled, without replaying it; returns how many.</summary>
    public int Discard(string service)
    {
        var pending = Pending(service, int.MaxValue, read: false);
        Settle(service, pending);
        return pending.Count;
    }

    private void Settle(string service, List<(TopicPartition Partition, long Offset, ConsumeResult<string, byte[]>? Record)> pending)
    {
        if (pending.Count == 0)
            return;
        using var marker = Consumer(service);
        marker.Commit(pending.GroupBy(p => p.Partition).Select(g => new TopicPartitionOffset(g.Key, g.Max(p => p.Offset) + 1)));
    }

    private List<(TopicPartition Partition, long Offset, ConsumeResult<string, byte[]>? Record)> Pending(string service, int max, bool read)
    {
        var topic = _names.DeadLetterTopic(service);
        using var consumer = Consumer(service);
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var partitions = admin.GetMetadata(topic, Timeout).Topics.SingleOrDefault()?.Partitions
            .Select(p => new TopicPartition(topic, p.PartitionId)).ToList() ?? [];
        var committed = partitions.Count == 0 ? [] : consumer.Committed(partitions, Timeout).ToDictionary(c => c.TopicPartition, c => c.Offset);
        var pending = new List<(TopicPartition, long, ConsumeResult<string, byte[]>?)>();
        foreach (var partition in partitions)
        {
            var marks = consumer.QueryWatermarkOffsets(partition, Timeout);
            var from = committed.TryGetValue(partition, out var offset) && offset.Value >= 0 ? Math.Max(offset.Value, marks.Low.Value) : marks.Low.Value;
            if (!read)
            {
                for (var o = from; o < marks.High.Value && pending.Count < max; o++)
                    pending.Add((partition, o, null));
                continue;
            }
            if (from >= marks.High.Value)
                continue;
            consumer.Assign(new TopicPartitionOffset(partition, from));
            while (pending.Count < max && consumer.Consume(Timeout) is { } record)
            {
                pending.Add((partition, record.Offset.Value, record));
                if (record.Offset.Value + 1 >= marks.High.Value)
                    break;
            }
            consumer.Unassign();
        }
        return pending;
    }

    private static KafkaDeadLetter Describe(ConsumeResult<string, byte[]> record)
    {
        var headers = record.Message.Headers;
        string Header(string name) => KafkaTransport.HeaderText(headers, name) ?? "";
        return new KafkaDeadLetter(Header(KafkaHeaders.Id), Header(KafkaHeaders.Type), record.Message.Key, KafkaTransport.HeaderText(headers, KafkaHeaders.Error),
            $"{Header(KafkaHeaders.OriginalTopic)}[{Header(KafkaHeaders.OriginalPartition)}]@{Header(KafkaHeaders.OriginalOffset)}",
            Header(KafkaHeaders.Deliveries), Encoding.UTF8.GetString(record.Message.Value));
    }

    private IConsumer<string, byte[]> Consumer(string service) =>
        new ConsumerBuilder<string, byte[]>(new ConsumerConfig(Config())
        {
            GroupId = _names.ReplayedGroup(service),
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).SetLogHandler((_, _) => { }).Build();

    private ClientConfig Config() => options.ClientConfig("orderx-dead-letters");
}
