using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using OrderX.Orders.Domain;
using OrderX.ServiceData;

namespace OrderX.Orders.Saga;

/// <summary>What a committed change of an order means for the flow's counters: placed, paid, cancelled.</summary>
public static class OrderMetrics
{
    public static Action? Measure(EntityEntry<Order> entry)
    {
        var order = entry.Entity;
        if (entry.State == EntityState.Added)
            return OrderFlowMetrics.OrderPlaced;
        // Compared with the snapshot: the tracker's changes are not detected yet when this runs.
        if (entry.Property(nameof(Order.Status)).OriginalValue is not string before || before == order.Status)
            return null;
        var placedAt = order.CreatedAt;
        return order.Status switch
        {
            OrderStatus.Paid => () => OrderFlowMetrics.OrderPaid(DateTime.UtcNow - placedAt),
            OrderStatus.Cancelled => () => OrderFlowMetrics.OrderCancelled(order.CancelReason ?? "unknown", DateTime.UtcNow - placedAt),
            _ => null,
        };
    }
}
