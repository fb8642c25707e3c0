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
    private readonly ConditionalWeakTable<DbContext, List<Guid>> _changing = new();
    private readonly ConditionalWeakTable<DbContext, List<Guid>> _awaitingCommit = new();

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

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context, _changing);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, _changing);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Committed(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context, _awaitingCommit);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, _awaitingCommit);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Forget(eventData.Context, _awaitingCommit);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context, _awaitingCommit);
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
            _changing.AddOrUpdate(context, changed);
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_changing.TryGetValue(context, out var changed))
            return;
        _changing.Remove(context);
        if (context.Database.CurrentTransaction is null)
            NotifyAll(changed);
        else
            _awaitingCommit.GetOrCreateValue(context).AddRange(changed);
    }

    private void Committed(DbContext? context)
    {
        if (context is not null && _awaitingCommit.TryGetValue(context, out var changed))
        {
            _awaitingCommit.Remove(context);
            NotifyAll(changed);
        }
    }

    private static void Forget(DbContext? context, ConditionalWeakTable<DbContext, List<Guid>> pending)
    {
        if (context is not null)
            pending.Remove(context);
    }

    private void NotifyAll(List<Guid> orderIds)
    {
        foreach (var orderId in orderIds)
            watch.Notify(orderId);
    }
}
