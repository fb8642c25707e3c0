using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OrderX.Contracts;
using OrderX.Messaging.Consumers;
using OrderX.Messaging.Outbox;
using OrderX.Payments.Data;
using OrderX.Payments.Domain;

namespace OrderX.Payments.IntegrationEvents;

/// <summary>payment.refund → the charge is given back (simulated) → payment.refunded, in one transaction.</summary>
public sealed partial class PaymentRefundHandler(
    PaymentsDbContext db,
    OutboxWriter outbox,
    TimeProvider clock,
    ILogger<PaymentRefundHandler> logger) : IIntegrationEventHandler<PaymentRefund>
{
    public async Task HandleAsync(PaymentRefund refund, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var payment = await db.Payments.FirstOrDefaultAsync(p => p.Id == refund.PaymentId && p.OrderId == refund.OrderId, cancellationToken)
            ?? throw new InvalidOperationException($"payment.refund for unknown payment {refund.PaymentId} of order {refund.OrderId}.");
        if (payment.Status != Payment.Succeeded)
        {
            // Refunded already (a second request), or never charged: nothing to give back.
            LogNothingToRefund(payment.OrderId, payment.Id, payment.Status);
            return;
        }
        payment.Status = Payment.Refunded;
        payment.RefundedAt = clock.GetUtcNow().UtcDateTime;
        payment.RefundReason = refund.Reason.Length <= 500 ? refund.Reason : refund.Reason[..500];
        outbox.Add(db, new PaymentRefunded(payment.OrderId, payment.Id, refund.UserId, refund.CustomerEmail, payment.Amount, payment.Currency));
        LogRefunded(payment.OrderId, payment.Amount, payment.Currency, payment.Id);
    }

    [LoggerMessage(LogLevel.Information, "Order {OrderId}: {Amount} {Currency} refunded (payment {PaymentId}); payment.refunded queued")]
    private partial void LogRefunded(Guid orderId, decimal amount, string currency, Guid paymentId);

    [LoggerMessage(LogLevel.Information, "Order {OrderId}: payment {PaymentId} is {Status}; refund request ignored")]
    private partial void LogNothingToRefund(Guid orderId, Guid paymentId, string status);
}
