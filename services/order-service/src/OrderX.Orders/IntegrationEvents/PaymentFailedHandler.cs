using Microsoft.Extensions.Logging;
using OrderX.Contracts;
using OrderX.Messaging.Inbox;
using OrderX.Messaging.Outbox;
using OrderX.Orders.Data;
using OrderX.Orders.Domain;

namespace OrderX.Orders.IntegrationEvents;

/// <summary>payment.failed → the order is payment_failed and order.cancelled tells the customer why.</summary>
public sealed partial class PaymentFailedHandler(
    OrdersDbContext db,
    OutboxWriter outbox,
    TimeProvider clock,
    ILogger<PaymentFailedHandler> logger) : IIntegrationEventHandler<PaymentFailed>
{
    public async Task HandleAsync(PaymentFailed failed, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var order = await db.Orders.FindAsync([failed.OrderId], cancellationToken)
            ?? throw new InvalidOperationException($"payment.failed for unknown order {failed.OrderId}.");
        switch (order.MarkPaymentFailed(failed.PaymentId, failed.Reason, clock.GetUtcNow().UtcDateTime))
        {
            case Transition.Applied:
                outbox.Add(db, new OrderCancelled(order.Id, order.UserId, order.CustomerEmail, order.Status, failed.Reason));
                LogFailed(order.Id, failed.Reason);
                break;
            case Transition.Rejected:
                LogIgnored(order.Id, order.Status);
                break;
        }
    }

    [LoggerMessage(LogLevel.Information, "Order {OrderId} marked payment_failed ({Reason}); order.cancelled queued")]
    private partial void LogFailed(Guid orderId, string reason);

    [LoggerMessage(LogLevel.Warning, "payment.failed for order {OrderId} ignored: the order is already {Status}")]
    private partial void LogIgnored(Guid orderId, string status);
}
