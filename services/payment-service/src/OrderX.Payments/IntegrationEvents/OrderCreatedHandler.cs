using Microsoft.Extensions.Logging;
using OrderX.Contracts;
using OrderX.Messaging.Consumers;
using OrderX.Messaging.Outbox;
using OrderX.Payments.Data;
using OrderX.Payments.Domain;

namespace OrderX.Payments.IntegrationEvents;

/// <summary>order.created → charge (simulated) → payment.success or payment.failed, in one transaction.</summary>
public sealed partial class OrderCreatedHandler(
    PaymentsDbContext db,
    ChargedOrders charged,
    PaymentRule rule,
    OutboxWriter outbox,
    TimeProvider clock,
    ILogger<OrderCreatedHandler> logger) : IIntegrationEventHandler<OrderCreated>
{
    public async Task HandleAsync(OrderCreated order, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        // The inbox stops a redelivered message; this stops a second order.created for the same order.
        if (await charged.HasPaymentAsync(order.OrderId, cancellationToken))
        {
            LogAlreadyCharged(order.OrderId);
            return;
        }

        var decision = rule.Decide(order.Total, order.Currency);
        var payment = new Payment
        {
            Id = Guid.CreateVersion7(),
            OrderId = order.OrderId,
            UserId = order.UserId,
            Amount = order.Total,
            Currency = order.Currency,
            Status = decision.Approved ? Payment.Succeeded : Payment.Declined,
            Reason = decision.DeclineReason,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Payments.Add(payment);
        if (decision.Approved)
        {
            outbox.Add(db, new PaymentSucceeded(order.OrderId, payment.Id, payment.Amount, payment.Currency));
            LogCharged(order.OrderId, payment.Amount, payment.Currency, payment.Id);
        }
        else
        {
            outbox.Add(db, new PaymentFailed(order.OrderId, payment.Id, payment.Amount, payment.Currency, decision.DeclineReason!));
            LogDeclined(order.OrderId, decision.DeclineReason!);
        }
    }

    [LoggerMessage(LogLevel.Debug, "Order {OrderId} charged {Amount} {Currency} (payment {PaymentId}); payment.success queued")]
    private partial void LogCharged(Guid orderId, decimal amount, string currency, Guid paymentId);

    [LoggerMessage(LogLevel.Information, "Order {OrderId} payment declined ({Reason}); payment.failed queued")]
    private partial void LogDeclined(Guid orderId, string reason);

    [LoggerMessage(LogLevel.Information, "Order {OrderId} already has a payment; order.created ignored")]
    private partial void LogAlreadyCharged(Guid orderId);
}
