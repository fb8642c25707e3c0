using Microsoft.EntityFrameworkCore;

namespace OrderX.Messaging.Outbox;

/// <summary>Wakes the relay once new outbox rows are committed, so publishing adds no polling lag.</summary>
public sealed class OutboxCommitInterceptor(OutboxSignal signal) : AfterCommitInterceptor<bool>
{
    protected override void Collect(DbContext context, List<bool> changes)
    {
        if (changes.Count == 0 && context.ChangeTracker.Entries<OutboxMessage>().Any(e => e.State == EntityState.Added))
            changes.Add(true);
    }

    protected override void Committed(IReadOnlyList<bool> changes) => signal.Notify();
}
