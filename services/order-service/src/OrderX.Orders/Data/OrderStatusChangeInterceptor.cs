using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OrderX.Orders.Domain;

namespace OrderX.Orders.Data;

/// <summary>After a commit that changed orders' status, wakes whoever waits on them.</summary>
public sealed class OrderStatusChangeInterceptor(OrderStatusWatch watch) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<Guid>> _changing = new();

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context)
        {
            var changed = context.ChangeTracker.Entries<Order>()
                .Where(e => e.State == EntityState.Modified && e.Property(o => o.Status).IsModified)
                .Select(e => e.Entity.Id)
                .ToList();
            if (changed.Count > 0)
                _changing.AddOrUpdate(context, changed);
        }
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && _changing.TryGetValue(context, out var changed))
        {
            _changing.Remove(context);
            foreach (var orderId in changed)
                watch.Notify(orderId);
        }
        return base.SavedChangesAsync(eventData, result, cancellationToken);
    }
}
