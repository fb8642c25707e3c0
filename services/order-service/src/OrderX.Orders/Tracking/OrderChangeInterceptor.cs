using Microsoft.EntityFrameworkCore;
using OrderX.Messaging;
using OrderX.Orders.Domain;

namespace OrderX.Orders.Tracking;

/// <summary>After a commit that added steps to orders, wakes whoever watches them in this instance.</summary>
public sealed class OrderChangeInterceptor(OrderChangeWatch watch) : AfterCommitInterceptor<(Guid OrderId, string Status, string Message)>
{
    protected override void Collect(DbContext context, List<(Guid OrderId, string Status, string Message)> changes)
    {
        foreach (var entry in context.ChangeTracker.Entries<Order>())
        {
            // Every step of an order bumps its version. Compared with the snapshot: the tracker's changes are not
            // detected yet when this runs. A new order has nobody watching it yet.
            if (entry.State != EntityState.Added && entry.Property(nameof(Order.Version)).OriginalValue is int before && before != entry.Entity.Version)
                changes.Add((entry.Entity.Id, entry.Entity.Status, entry.Entity.StatusMessage));
        }
    }

    protected override void Committed(IReadOnlyList<(Guid OrderId, string Status, string Message)> changes)
    {
        foreach (var (orderId, status, message) in changes)
            watch.Notify(orderId, status, message);
    }
}
