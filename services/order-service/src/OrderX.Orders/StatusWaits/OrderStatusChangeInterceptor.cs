using Microsoft.EntityFrameworkCore;
using OrderX.Messaging;
using OrderX.Orders.Domain;

namespace OrderX.Orders.StatusWaits;

/// <summary>After a commit that changed orders' status, wakes whoever waits on them in this instance.</summary>
public sealed class OrderStatusChangeInterceptor(OrderStatusWatch watch) : AfterCommitInterceptor<Guid>
{
    protected override void Collect(DbContext context, List<Guid> changes) =>
        changes.AddRange(context.ChangeTracker.Entries<Order>()
            .Where(e => e.State == EntityState.Modified && e.Property(o => o.Status).IsModified)
            .Select(e => e.Entity.Id));

    protected override void Committed(IReadOnlyList<Guid> changes)
    {
        foreach (var orderId in changes)
            watch.Notify(orderId);
    }
}
