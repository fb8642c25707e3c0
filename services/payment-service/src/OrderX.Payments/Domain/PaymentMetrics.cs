using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using OrderX.ServiceData;

namespace OrderX.Payments.Domain;

/// <summary>What a committed change of a payment means for the flow's counters: a charge decided, a refund.</summary>
public static class PaymentMetrics
{
    public static Action? Measure(EntityEntry<Payment> entry)
    {
        var status = entry.Entity.Status;
        if (entry.State == EntityState.Added)
            return () => OrderFlowMetrics.Charged(status);
        // Compared with the snapshot: the tracker's changes are not detected yet when this runs.
        return status == Payment.Refunded && entry.Property(nameof(Payment.Status)).OriginalValue is string before && before != status
            ? OrderFlowMetrics.Refunded
            : null;
    }
}
