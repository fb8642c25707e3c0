using Microsoft.EntityFrameworkCore;

namespace OrderX.Messaging.Outbox;

/// <summary>Hands the relay the outbox rows of a unit of work once it is committed, so publishing adds no polling lag.</summary>
public sealed class OutboxCommitInterceptor(OutboxSignal signal) : AfterCommitInterceptor<OutboxMessage>
{
    protected override void Collect(DbContext context, List<OutboxMessage> changes)
    {
        foreach (var entry in context.ChangeTracker.Entries<OutboxMessage>())
        {
            if (entry.State == EntityState.Added)
                changes.Add(entry.Entity);
        }
    }

    protected override void Committed(IReadOnlyList<OutboxMessage> changes) => signal.Committed(changes);
}
