using Microsoft.EntityFrameworkCore;
using OrderX.Messaging.Inbox;
using OrderX.Messaging.Outbox;

namespace OrderX.Messaging;

public static class MessagingModel
{
    public const string OutboxTable = "outbox_messages";
    public const string InboxTable = "inbox_messages";

    /// <summary>Maps the outbox and inbox tables with fixed snake_case names, so the relay's raw SQL runs on every provider.</summary>
    public static ModelBuilder AddOutboxAndInbox(this ModelBuilder model)
    {
        model.Entity<OutboxMessage>(e =>
        {
            e.ToTable(OutboxTable);
            e.HasKey(m => m.Sequence);
            e.Property(m => m.Sequence).HasColumnName("sequence").ValueGeneratedOnAdd();
            e.Property(m => m.Id).HasColumnName("id");
            e.Property(m => m.Type).HasColumnName("type").HasMaxLength(100);
            e.Property(m => m.Subject).HasColumnName("subject").HasMaxLength(100);
            e.Property(m => m.Payload).HasColumnName("payload");
            e.Property(m => m.CreatedAt).HasColumnName("created_at");
            e.Property(m => m.NextAttemptAt).HasColumnName("next_attempt_at");
            e.Property(m => m.SentAt).HasColumnName("sent_at");
            e.Property(m => m.Attempts).HasColumnName("attempts");
            e.Property(m => m.LastError).HasColumnName("last_error").HasMaxLength(1000);
            e.HasIndex(m => m.Id).IsUnique();
            // The relay's only query: unsent rows in order.
            e.HasIndex(m => new { m.SentAt, m.Sequence });
        });
        model.Entity<InboxMessage>(e =>
        {
            e.ToTable(InboxTable);
            e.HasKey(m => new { m.MessageId, m.Consumer });
            e.Property(m => m.MessageId).HasColumnName("message_id");
            e.Property(m => m.Consumer).HasColumnName("consumer").HasMaxLength(200);
            e.Property(m => m.Type).HasColumnName("type").HasMaxLength(100);
            e.Property(m => m.ProcessedAt).HasColumnName("processed_at");
        });
        return model;
    }
}
