namespace OrderX.Messaging;

public sealed class MessagingOptions
{
    /// <summary>The publishing service's name: the envelope's <c>source</c> and the prefix of its queues.</summary>
    public string ServiceName { get; set; } = "unknown";

    /// <summary>How often the outbox backlog gauges (<c>orderx.outbox.pending</c>, <c>orderx.outbox.oldest.age</c>) are counted.</summary>
    public TimeSpan BacklogSampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Rows the relay publishes per round; they are published together and confirmed as a stream.</summary>
    public int RelayBatchSize { get; set; } = 200;

    /// <summary>Fallback poll for rows committed by other instances or due for a retry; commits in this process wake the relay at once.</summary>
    public TimeSpan RelayPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a publish may wait for the broker's confirmation before the row is retried.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a committed row is left to the relay of the process that wrote it before any instance's poll takes it
    /// (after a crash, say). A row still not handed over after half of it is left to the poll.
    /// </summary>
    public TimeSpan RelayHandoffGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long confirmed rows may wait to be marked sent, so that one statement marks the rows of many confirmed
    /// batches instead of one commit per batch. A row confirmed but not yet marked when its process dies is published
    /// again by the poll (the consumers' inbox drops the repeat). Capped at a quarter of <see cref="RelayHandoffGrace"/>,
    /// so the poll never takes a row that is only waiting for its mark. Zero marks each batch at once.
    /// </summary>
    public TimeSpan RelayMarkSentDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRelayBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Most deliveries handled in one transaction when they arrive together, from any of the service's queues
    /// (group commit: one inbox query, one save, one commit, one relay round for all). 1 handles every delivery on its own.
    /// </summary>
    public int ConsumerBatchSize { get; set; } = 32;

    /// <summary>
    /// How long a lane that just handled a batch of more than one delivery waits for more before it starts the next
    /// batch (group commit's delay): under load a batch's fixed work (its look-ups, its round trips, its commit, its
    /// relay round) is shared by more deliveries, while a lane that handled one delivery, as under a light load, waits
    /// for nothing. On the benchmark 2 ms took the distributed closed loop from 150-172 to 169-221 paid orders/s in
    /// alternating runs, each run faster than the one before it (the README's performance section); 5 ms did no
    /// better. Zero starts every batch with what has arrived.
    /// </summary>
    public TimeSpan ConsumerBatchLinger { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// Batches the service handles at once, each in its own transaction: the lanes of <c>ConsumerLanes</c>. Every
    /// event of one subject (order) goes through the same lane, so two events of one order are never handled at once.
    /// One by default: group commit already grows a batch with the load, and lanes side by side only split it into
    /// more, smaller transactions that wait on each other's row locks (every order moves the same few products'
    /// stock). On the benchmark, four lanes to one took the distributed closed loop from ~140 to ~160-225 paid orders/s
    /// and the commits per order from 12.3 to 7.8 (the README's performance section). More lanes pay where a handler
    /// waits on something outside the database: the notification service takes four when it sends through an SMTP
    /// server.
    /// </summary>
    public int ConsumerParallelBatches { get; set; } = 1;

    /// <summary>How long a consumed message's id is remembered; redeliveries older than this would be applied again.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(7);
}
