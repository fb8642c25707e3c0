using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OrderX.Orders.Domain;

namespace OrderX.Orders.Data;

/// <summary>
/// After a commit that changed orders' status, wakes whoever waits on them. Inside an explicit transaction (every
/// consumer's: inbox row, handler and outbox in one) the waiters are woken when that transaction commits, not when
/// its changes are saved: woken earlier, they would re-read the order before the commit, still find it pending and
/// sleep until their next periodic re-read.
/// </summary>
public sealed class OrderStatusChangeInterceptor(OrderStatusWatch watch) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    // Per context: the orders whose status its saves changed and whose waiters have not been woken yet.
    private readonly ConditionalWeakTable<DbContext, List<Guid>> _uncommitted = new();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return base.SavedChanges(eventData, result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Saved(eventData.Context, succeeded: false);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context, succeeded: false);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context, committed: true);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context, committed: true);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context, committed: false);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context, committed: false);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Ended(eventData.Context, committed: false);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context, committed: false);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
            return;
        var changed = context.ChangeTracker.Entries<Order>()
            .Where(e => e.State == EntityState.Modified && e.Property(o => o.Status).IsModified)
            .Select(e => e.Entity.Id)
            .ToList();
        if (changed.Count > 0)
            _uncommitted.GetOrCreateValue(context).AddRange(changed);
    }

    // Outside an explicit transaction a save is its own commit; inside one, the transaction's end decides.
    private void Saved(DbContext? context, bool succeeded = true)
    {
        if (context?.Database.CurrentTransaction is null)
            Ended(context, committed: succeeded);
    }

    private void Ended(DbContext? context, bool committed)
    {
        if (context is null || !_uncommitted.TryGetValue(context, out var changed))
            return;
        _uncommitted.Remove(context);
        if (committed)
            foreach (var orderId in changed)
                watch.Notify(orderId);
    }
}
