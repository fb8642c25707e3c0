namespace OrderX.Messaging.RabbitMQ;

public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMQ";

    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 5672;
    public string UserName { get; set; } = "guest";
    public string Password { get; set; } = "guest";
    public string VirtualHost { get; set; } = "/";

    /// <summary>The durable topic exchange every event is published to; queues and the dead-letter exchange are named after it.</summary>
    public string Exchange { get; set; } = "orderx";

    /// <summary><c>quorum</c> (replicated, counts deliveries) or <c>classic</c>.</summary>
    public string QueueType { get; set; } = "quorum";

    /// <summary>Deliveries of a failing message before it is dead-lettered.</summary>
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>Unacknowledged deliveries per consumer channel.</summary>
    public ushort Prefetch { get; set; } = 64;

    /// <summary>
    /// Deliveries a consumer holds at once. They wait in the consumer's batcher, which handles them in batches
    /// (Messaging:ConsumerBatchSize, Messaging:ConsumerParallelBatches); as many as the prefetch, so batches can fill.
    /// </summary>
    public ushort ConsumerConcurrency { get; set; } = 64;

    /// <summary>Publishes awaiting their confirmation at once: bounded so the client never refuses a lease.</summary>
    public int PublishWindow { get; set; } = 512;
}
