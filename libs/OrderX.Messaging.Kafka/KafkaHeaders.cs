namespace OrderX.Messaging.Kafka;

/// <summary>The headers OrderX puts on Kafka records: the envelope's id and type on every one, the cause on a dead letter.</summary>
public static class KafkaHeaders
{
    public const string Id = "orderx-id";
    public const string Type = "orderx-type";
    public const string Error = "orderx-error";
    public const string OriginalTopic = "orderx-original-topic";
    public const string OriginalPartition = "orderx-original-partition";
    public const string OriginalOffset = "orderx-original-offset";
    public const string Deliveries = "orderx-delivery-count";
}
