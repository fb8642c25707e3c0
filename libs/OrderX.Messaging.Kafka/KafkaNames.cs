namespace OrderX.Messaging.Kafka;

/// <summary>The names OrderX uses on a Kafka cluster, each carrying <see cref="KafkaOptions.Prefix"/>.</summary>
public sealed class KafkaNames(string prefix)
{
    public string Prefix => prefix;

    /// <summary>One topic per event type: its wire name.</summary>
    public string Topic(string eventType) => prefix + eventType;

    /// <summary>One consumer group per service.</summary>
    public string Group(string service) => $"{prefix}orderx.{service}";

    /// <summary>Where a service's messages go once they failed every delivery.</summary>
    public string DeadLetterTopic(string service) => Group(service) + ".dlq";

    /// <summary>Where an operator's replay puts them back: only that service's group reads it, so no other service sees them twice.</summary>
    public string ReplayTopic(string service) => Group(service) + ".replay";

    /// <summary>The group whose committed offsets on the dead-letter topic mark what was already replayed.</summary>
    public string ReplayedGroup(string service) => Group(service) + ".dlq-replayed";
}
