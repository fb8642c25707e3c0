using Microsoft.Extensions.Logging;
using OrderX.Contracts;
using OrderX.Messaging.Inbox;
using OrderX.Messaging.Outbox;
using OrderX.Orders.Data;
using OrderX.Orders.Domain;

namespace OrderX.Orders.IntegrationEvents;

/// <summary>payment.success → the order is paid and order.completed is published, in one transaction.</summary>
public sealed partial class PaymentSucceededHandler(
    OrdersDbContext db,
    OutboxWriter outbox,
    TimeProvider clock,
    ILogger<PaymentSucceededHandler> logger) : IIntegrationEventHandler<PaymentSucceeded>
{
    public async Task HandleAsync(PaymentSucceeded paid, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var order = await db.Orders.FindAsync([paid.OrderId], cancellationToken)
            ?? throw new InvalidOperationException($"payment.success for unknown order {paid.OrderId}.");
        switch (order.MarkPaid(paid.PaymentId, clock.GetUtcNow().UtcDateTime))
        {
            case Transition.Applied:
                outbox.Add(db, new OrderCompleted(order.Id, order.UserId, order.CustomerEmail, order.Total, order.Currency));
                LogPaid(order.Id, paid.PaymentId);
                break;
            case Transition.Rejected:
                LogIgnored(order.Id, order.Status);
                break;
        }
    }

    [LoggerMessage(LogLevel.Information, "Order {OrderId} marked paid (payment {PaymentId}); order.completed queued")]
    private partial void LogPaid(Guid orderId, Guid paymentId);

    [LoggerMessage(LogLevel.Warning, "payment.success for order {OrderId} ignored: the order is already {Status}")]
    private partial void LogIgnored(Guid orderId, string status);
}
