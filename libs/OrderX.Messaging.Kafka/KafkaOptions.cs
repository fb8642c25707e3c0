using Confluent.Kafka;

namespace OrderX.Messaging.Kafka;

public sealed class KafkaOptions
{
    public const string Section = "Kafka";

    /// <summary>Comma-separated host:port list of the cluster's brokers.</summary>
    public string BootstrapServers { get; set; } = "localhost:9092";

    /// <summary>
    /// Further librdkafka properties for every client, passed through as written: security (<c>security.protocol</c>,
    /// <c>sasl.mechanism</c>, <c>sasl.username</c>, <c>sasl.password</c>, <c>ssl.ca.location</c>, …) and tuning.
    /// As environment variables: <c>Kafka__Client__security.protocol=SASL_SSL</c>.
    /// </summary>
    public Dictionary<string, string> Client { get; set; } = [];

    /// <summary>Prefix of every topic and consumer group, so several installations (or test runs) can share a cluster.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Deliveries of a failing message before it goes to the consumer group's dead-letter topic.</summary>
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>Creates missing topics at start-up; off where the cluster forbids it (managed Kafka): a refusal is logged, not fatal.</summary>
    public bool CreateTopics { get; set; } = true;

    /// <summary>Partitions of a topic OrderX creates: how many instances of one service can share an event type's work.</summary>
    public int Partitions { get; set; } = 6;

    /// <summary>Replicas of a topic OrderX creates; 0 = as many brokers as the cluster has, at most 3.</summary>
    public short ReplicationFactor { get; set; }

    /// <summary>How long a delivery report may take before the relay retries the row (librdkafka's message.timeout.ms).</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a consumer that stopped without leaving its group (killed, or its machine lost) keeps its partitions
    /// before the group hands them to the others. Shorter fails over sooner; it must exceed the longest pause a
    /// healthy process can have, and lie within the brokers' group.min/max.session.timeout.ms (6 s to 30 min by default).
    /// </summary>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Fetched messages of one partition waiting for their handler before the partition is paused.</summary>
    public int MaxPendingPerPartition { get; set; } = 256;

    /// <summary>The settings every OrderX client of this cluster starts from, named <paramref name="clientId"/> in the brokers' logs.</summary>
    public ClientConfig ClientConfig(string clientId)
    {
        var config = new ClientConfig { BootstrapServers = BootstrapServers, ClientId = clientId };
        foreach (var (key, value) in Client)
            config.Set(key, value);
        return config;
    }
}
