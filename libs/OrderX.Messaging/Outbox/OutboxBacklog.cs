using Microsoft.EntityFrameworkCore;

namespace OrderX.Messaging.Outbox;

/// <summary>What waits in an outbox: the rows the broker has not confirmed, and when the oldest of them was written.</summary>
public readonly record struct OutboxBacklog(long Pending, DateTime? OldestCreatedAt)
{
    public static async Task<OutboxBacklog> CountAsync(DbContext db, CancellationToken cancellationToken)
    {
        var unsent = db.Set<OutboxMessage>().AsNoTracking().Where(m => m.SentAt == null);
        var pending = await unsent.LongCountAsync(cancellationToken);
        return new(pending, pending == 0 ? null : await unsent.MinAsync(m => (DateTime?)m.CreatedAt, cancellationToken));
    }

    public double OldestAgeSeconds(DateTime now) => OldestCreatedAt is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0;
}
