namespace OrderX.Messaging;

public sealed class MessagingOptions
{
    /// <summary>The publishing service's name: the envelope's <c>source</c> and the prefix of its queues.</summary>
    public string ServiceName { get; set; } = "unknown";

    /// <summary>Rows the relay publishes per round; they are published together and confirmed as a stream.</summary>
    public int RelayBatchSize { get; set; } = 200;

    /// <summary>Fallback poll for rows committed by other instances or due for a retry; commits in this process wake the relay at once.</summary>
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a publish may wait for the broker's confirmation before the row is retried.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan MaxRelayBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Most deliveries of one queue handled in one transaction when they arrive together (group commit: one inbox
    /// query, one save, one commit, one relay round for all). 1 handles every delivery on its own.
    /// </summary>
    public int ConsumerBatchSize { get; set; } = 32;

    /// <summary>Batches of one queue handled at once (each in its own transaction).</summary>
    public int ConsumerParallelBatches { get; set; } = 2;

    /// <summary>How long a consumed message's id is remembered; redeliveries older than this would be applied again.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(7);
}
