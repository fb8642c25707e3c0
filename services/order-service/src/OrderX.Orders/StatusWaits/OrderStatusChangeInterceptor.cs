using Microsoft.EntityFrameworkCore;
using OrderX.Messaging;
using OrderX.Orders.Domain;

namespace OrderX.Orders.StatusWaits;

/// <summary>After a commit that changed orders' status, wakes whoever waits on them in this instance.</summary>
public sealed class OrderStatusChangeInterceptor(OrderStatusWatch watch) : AfterCommitInterceptor<Guid>
{
    protected override void Collect(DbContext context, List<Guid> changes)
    {
        foreach (var entry in context.ChangeTracker.Entries<Order>())
        {
            // Compared with the snapshot: the tracker's changes are not detected yet when this runs.
            if (entry.State != EntityState.Added && entry.Property(nameof(Order.Status)).OriginalValue is string before && before != entry.Entity.Status)
                changes.Add(entry.Entity.Id);
        }
    }

    protected override void Committed(IReadOnlyList<Guid> changes)
    {
        foreach (var orderId in changes)
            watch.Notify(orderId);
    }
}
