using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using OrderX.ServiceData;

namespace OrderX.Notifications.Data;

/// <summary>A committed notification counts as sent, by its kind.</summary>
public static class NotificationMetrics
{
    public static Action? Measure(EntityEntry<Notification> entry)
    {
        var kind = entry.Entity.Kind;
        return entry.State == EntityState.Added ? () => OrderFlowMetrics.NotificationSent(kind) : null;
    }
}
