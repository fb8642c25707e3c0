using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrderX.Messaging.Outbox;

/// <summary>Signals the relay after a SaveChanges that added outbox rows has committed.</summary>
public sealed class OutboxCommitInterceptor(OutboxSignal signal) : SaveChangesInterceptor
{
    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        NotifyIfOutboxWritten(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        NotifyIfOutboxWritten(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    private void NotifyIfOutboxWritten(DbContext? context)
    {
        // Services never open an explicit transaction around SaveChanges, so "saved" here means "committed".
        // After SaveChanges the rows are Unchanged; an unsent, never-tried row this context tracks was written by it.
        if (context is not null
            && context.Database.CurrentTransaction is null
            && context.ChangeTracker.Entries<OutboxMessage>().Any(e => e.Entity.SentAt is null && e.Entity.Attempts == 0))
            signal.Notify();
    }
}
