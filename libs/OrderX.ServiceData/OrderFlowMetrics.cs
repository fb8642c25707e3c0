using System.Diagnostics.Metrics;

namespace OrderX.ServiceData;

/// <summary>
/// The order flow as an operator watches it: orders placed, paid and cancelled (by reason) and how long they took
/// to settle, charges and refunds, notifications by kind. Recorded after the commit that made them true
/// (<see cref="Messaging.AfterCommitMetrics{TEntity}"/>), by the service that owns each fact.
/// </summary>
public static class OrderFlowMetrics
{
    public const string MeterName = "OrderX.Flow";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Placed = Meter.CreateCounter<long>("orderx.orders.placed", "{order}", "Orders accepted (202) and stored as pending.");
    private static readonly Counter<long> Paid = Meter.CreateCounter<long>("orderx.orders.paid", "{order}", "Orders that reached paid.");
    private static readonly Counter<long> Cancelled = Meter.CreateCounter<long>("orderx.orders.cancelled", "{order}", "Orders cancelled, by orderx.cancel.reason.");
    private static readonly Histogram<double> SettleDuration = Meter.CreateHistogram<double>(
        "orderx.order.settle.duration", "s", "From an order's placement to its final state, by orderx.order.outcome (paid or cancelled).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900] });
    private static readonly Counter<long> Charges = Meter.CreateCounter<long>("orderx.payments.charges", "{payment}", "Charges decided, by orderx.payment.outcome (succeeded or declined).");
    private static readonly Counter<long> Refunds = Meter.CreateCounter<long>("orderx.payments.refunds", "{payment}", "Charges given back to the customer (compensation).");
    private static readonly Counter<long> Notifications = Meter.CreateCounter<long>("orderx.notifications.sent", "{notification}", "Notifications sent to customers, by orderx.notification.kind.");

    private static readonly ConcurrentGauge PendingOrders = new();

    static OrderFlowMetrics()
    {
        Meter.CreateObservableGauge("orderx.orders.pending", () => PendingOrders.Count, "{order}", "Orders pending now (sampled).");
        Meter.CreateObservableGauge("orderx.orders.pending.oldest.age", () => PendingOrders.OldestAgeSeconds, "s", "Age of the oldest pending order (0 when there is none; sampled).");
    }

    public static void OrderPlaced() => Placed.Add(1);

    public static void OrderPaid(TimeSpan sincePlaced)
    {
        Paid.Add(1);
        SettleDuration.Record(sincePlaced.TotalSeconds, new KeyValuePair<string, object?>("orderx.order.outcome", "paid"));
    }

    public static void OrderCancelled(string reason, TimeSpan sincePlaced)
    {
        Cancelled.Add(1, new KeyValuePair<string, object?>("orderx.cancel.reason", reason));
        SettleDuration.Record(sincePlaced.TotalSeconds, new KeyValuePair<string, object?>("orderx.order.outcome", "cancelled"));
    }

    public static void Charged(string outcome) => Charges.Add(1, new KeyValuePair<string, object?>("orderx.payment.outcome", outcome));

    public static void Refunded() => Refunds.Add(1);

    public static void NotificationSent(string kind) => Notifications.Add(1, new KeyValuePair<string, object?>("orderx.notification.kind", kind));

    /// <summary>The pending orders as the order service last counted them, and when the oldest was placed.</summary>
    public static void PendingSampled(long count, DateTime? oldestPlacedAt) => PendingOrders.Set(count, oldestPlacedAt);

    private sealed class ConcurrentGauge
    {
        private sealed record Sample(long Count, DateTime? Oldest);

        private Sample _sample = new(0, null);

        public long Count => Volatile.Read(ref _sample).Count;

        public double OldestAgeSeconds => Volatile.Read(ref _sample).Oldest is { } oldest ? Math.Max(0, (DateTime.UtcNow - oldest).TotalSeconds) : 0;

        public void Set(long count, DateTime? oldest) => Volatile.Write(ref _sample, new Sample(count, oldest));
    }
}
