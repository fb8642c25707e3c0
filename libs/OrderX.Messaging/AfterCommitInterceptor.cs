using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrderX.Messaging;

/// <summary>
/// Acts on what a unit of work changed once it is committed, never before. A save outside a transaction is its own
/// commit; inside an explicit transaction (every consumer's: inbox row, handler and outbox in one) the transaction's
/// commit decides, and a rollback or a failure forgets what its saves collected. Acting at the save instead would
/// wake readers that then find the change not yet visible.
/// </summary>
public abstract class AfterCommitInterceptor<TChange> : SaveChangesInterceptor, IDbTransactionInterceptor, ISaveObserver
{
    // Per context: what the saves of its current unit of work changed, and which transaction that is (null: a save
    // on its own). A transaction that ends without a commit or rollback event (disposed after a failure) leaves its
    // entry behind; the context's next unit of work (it is pooled) has another transaction id and starts afresh,
    // so nothing it did not commit is ever reported.
    private readonly ConditionalWeakTable<DbContext, UnitOfWork> _uncommitted = new();

    private sealed record UnitOfWork(Guid? TransactionId, List<TChange> Changes);

    /// <summary>
    /// Adds to <paramref name="changes"/> what this save is about to write, while the change tracker still shows it.
    /// Changes are not detected first: a property changed on a tracked entity shows in its current value only.
    /// </summary>
    protected abstract void Collect(DbContext context, List<TChange> changes);

    /// <summary>Runs once the changes are committed, with everything the unit of work's saves collected.</summary>
    protected abstract void Committed(IReadOnlyList<TChange> changes);

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Saving(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context, succeeded: true);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context, succeeded: true);
        return base.SavedChanges(eventData, result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Saved(eventData.Context, succeeded: false);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context, succeeded: false);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context, eventData.TransactionId, committed: true);
    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) => EndedAsync(eventData.Context, eventData.TransactionId, committed: true);
    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context, eventData.TransactionId, committed: false);
    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) => EndedAsync(eventData.Context, eventData.TransactionId, committed: false);
    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Ended(eventData.Context, eventData.TransactionId, committed: false);
    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default) => EndedAsync(eventData.Context, eventData.TransactionId, committed: false);

    void ISaveObserver.Saving(DbContext context) => Saving(context);

    void ISaveObserver.Saved(DbContext context, bool succeeded) => Saved(context, succeeded);

    void ISaveObserver.Committed(DbContext context, Guid transactionId) => Ended(context, transactionId, committed: true);

    private void Saving(DbContext? context)
    {
        if (context is null)
            return;
        var transactionId = context.Database.CurrentTransaction?.TransactionId;
        // A save on its own always starts a unit of work; one in a transaction joins that transaction's. Whatever an
        // earlier unit left (a failed save, a dropped transaction) is forgotten here, even if this save collects
        // nothing: it must never be reported by this save's commit.
        if (transactionId is null || !_uncommitted.TryGetValue(context, out var unit) || unit.TransactionId != transactionId)
        {
            _uncommitted.Remove(context);
            unit = new UnitOfWork(transactionId, []);
        }
        var before = unit.Changes.Count;
        // The save detects changes right after the interceptors; each Entries() call here would scan every tracked
        // entity once more (an eighth of a save's CPU in the profile), so Collect sees the tracker as it is.
        var tracker = context.ChangeTracker;
        var detects = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            Collect(context, unit.Changes);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detects;
        }
        if (unit.Changes.Count > before)
            _uncommitted.AddOrUpdate(context, unit);
    }

    // A save on its own ends its unit of work, committed or not. A failed save may still see the transaction EF
    // began for it as current, so the unit's own record of how it began decides, not CurrentTransaction.
    private void Saved(DbContext? context, bool succeeded)
    {
        if (context is not null && (context.Database.CurrentTransaction is null || !succeeded))
            Ended(context, transactionId: null, committed: succeeded);
    }

    private Task EndedAsync(DbContext? context, Guid transactionId, bool committed)
    {
        Ended(context, transactionId, committed);
        return Task.CompletedTask;
    }

    private void Ended(DbContext? context, Guid? transactionId, bool committed)
    {
        if (context is null || !_uncommitted.TryGetValue(context, out var unit) || unit.TransactionId != transactionId)
            return;
        _uncommitted.Remove(context);
        if (committed)
            Committed(unit.Changes);
    }
}
