using Confluent.Kafka;

namespace OrderX.Testing;

/// <summary>
/// The Kafka cluster the tests use: the broker <c>ORDERX_KAFKA_BOOTSTRAP</c> names, or else librdkafka's own mock
/// cluster (no Kafka broker installs on these machines). The mock speaks the real protocol on 127.0.0.1 ports, so
/// any client, in this process or another, uses it as a normal bootstrap server; it lives as long as this process.
/// </summary>
public static class KafkaTestCluster
{
    private static readonly Lazy<string> Bootstrap = new(Start);
    private static IAdminClient? _holder;

    public static string BootstrapServers => Bootstrap.Value;

    /// <summary>Every record of <paramref name="topic"/>, from the start of each partition to its current end.</summary>
    public static List<ConsumeResult<string, byte[]>> ReadAll(string topic)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = BootstrapServers, GroupId = $"reader-{Guid.NewGuid():N}", EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
        var records = new List<ConsumeResult<string, byte[]>>();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics.SingleOrDefault()?.Partitions ?? [];
        foreach (var partition in partitions.Select(p => new TopicPartition(topic, p.PartitionId)))
        {
            var end = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High.Value;
            if (end <= 0)
                continue;
            consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
            while (consumer.Consume(TimeSpan.FromSeconds(5)) is { } record)
            {
                records.Add(record);
                if (record.Offset.Value + 1 >= end)
                    break;
            }
            consumer.Unassign();
        }
        return records;
    }

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable("ORDERX_KAFKA_BOOTSTRAP") is { Length: > 0 } given)
            return given;
        var config = new AdminClientConfig { BootstrapServers = "127.0.0.1:1" };
        config.Set("test.mock.num.brokers", "1");
        _holder = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var brokers = _holder.GetMetadata(TimeSpan.FromSeconds(10)).Brokers;
        return string.Join(',', brokers.Select(b => $"{b.Host}:{b.Port}"));
    }
}
