namespace OrderX.Messaging.Outbox;

/// <summary>An event written in the same transaction as the state change it announces.</summary>
public sealed class OutboxMessage
{
    /// <summary>Insertion order; the relay publishes in this order.</summary>
    public long Sequence { get; set; }
    public Guid Id { get; set; }
    public required string Type { get; set; }
    public required string Subject { get; set; }
    public required string Payload { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? SentAt { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}
