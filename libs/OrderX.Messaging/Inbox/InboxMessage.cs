namespace OrderX.Messaging.Inbox;

/// <summary>Proof that a consumer already applied a message: written in the same transaction as the effect.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }
    public required string Consumer { get; set; }
    public required string Type { get; set; }
    public DateTime ProcessedAt { get; set; }
}
