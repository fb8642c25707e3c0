using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.Extensions.Logging;
using OrderX.Contracts;
using OrderX.Messaging;
using OrderX.Messaging.Outbox;
using OrderX.Orders.Data;
using OrderX.Orders.Domain;

namespace OrderX.Orders.Saga;

/// <summary>
/// Applies one step to an order and queues what it owes the other services, in the caller's unit of work:
/// the order's new state and its events commit together or not at all.
/// </summary>
public sealed partial class OrderSaga(OrdersDbContext db, OutboxWriter outbox, TimeProvider clock, ILogger<OrderSaga> logger)
{
    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>For a consumed event: an unknown order is an error (the message is retried, then dead-lettered).</summary>
    public async Task ApplyAsync(Guid orderId, string cause, Func<Order, OrderOutcome> step, CancellationToken cancellationToken)
    {
        var order = TrackedOrders.FindEntry(orderId)?.Entity
            ?? await OrderById.For(db)(db, orderId, cancellationToken)
            ?? throw new InvalidOperationException($"{cause} for unknown order {orderId}.");
        Apply(order, cause, step);
    }

    // The orders a consumer batch preloaded, or read earlier in this unit of work. Taken once and kept, as the stock
    // ledger keeps its reservations': every read of DbSet.Local first scans the whole context for changes, while the
    // view itself stays current.
    private LocalView<Order> TrackedOrders => _trackedOrders ??= db.Orders.Local;

    private LocalView<Order>? _trackedOrders;

    // Tracked, without its items (FindAsync would read them too, auto-included, for every single delivery): no step reads them.
    private static readonly CompiledPerModel<Func<OrdersDbContext, Guid, CancellationToken, Task<Order?>>> OrderById = new(() => EF.CompileAsyncQuery(
        (OrdersDbContext db, Guid id, CancellationToken _) => db.Orders.IgnoreAutoIncludes().FirstOrDefault(o => o.Id == id)));

    public OrderOutcome Apply(Order order, string cause, Func<Order, OrderOutcome> step)
    {
        var outcome = step(order);
        switch (outcome.Transition)
        {
            case Transition.Applied:
                Publish(order, outcome.Effects);
                // One line per order at its end; the steps before it are in its history (GET /api/orders/{id}).
                LogApplied(outcome.Effects.HasFlag(OrderEffects.Completed) || outcome.Effects.HasFlag(OrderEffects.Cancelled) ? LogLevel.Information : LogLevel.Debug,
                    order.Id, cause, order.Status, order.PaymentStatus ?? "-", order.StockStatus ?? "-", outcome.Effects);
                break;
            case Transition.AlreadyApplied:
                LogRepeat(order.Id, cause);
                break;
            default:
                LogContradiction(order.Id, cause, order.Status, order.PaymentStatus ?? "-", order.StockStatus ?? "-");
                break;
        }
        return outcome;
    }

    private void Publish(Order order, OrderEffects effects)
    {
        if (effects.HasFlag(OrderEffects.Completed))
            outbox.Add(db, new OrderCompleted(order.Id, order.UserId, order.CustomerEmail, order.Total, order.Currency));
        if (effects.HasFlag(OrderEffects.Cancelled))
            outbox.Add(db, new OrderCancelled(order.Id, order.UserId, order.CustomerEmail, order.CancelReason!, order.StatusReason!));
        if (effects.HasFlag(OrderEffects.RefundPayment))
            outbox.Add(db, new PaymentRefund(order.Id, order.PaymentId!.Value, order.UserId, order.CustomerEmail,
                order.StatusReason ?? "The order was cancelled."));
    }

    [LoggerMessage("Order {OrderId} after {Cause}: {Status} (payment {Payment}, stock {Stock}); queued: {Effects}")]
    private partial void LogApplied(LogLevel level, Guid orderId, string cause, string status, string payment, string stock, OrderEffects effects);

    [LoggerMessage(LogLevel.Debug, "Order {OrderId}: {Cause} repeated; nothing to do")]
    private partial void LogRepeat(Guid orderId, string cause);

    [LoggerMessage(LogLevel.Warning, "Order {OrderId}: {Cause} contradicts what is known (status {Status}, payment {Payment}, stock {Stock}); ignored")]
    private partial void LogContradiction(Guid orderId, string cause, string status, string payment, string stock);
}
