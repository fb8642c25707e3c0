using System.Globalization;
using OrderX.Contracts;
using OrderX.Messaging.Consumers;

namespace OrderX.Notifications.IntegrationEvents;

public sealed class PaymentRefundedHandler(CustomerNotifier notifier) : IIntegrationEventHandler<PaymentRefunded>
{
    public Task HandleAsync(PaymentRefunded refund, EventEnvelope envelope, CancellationToken cancellationToken) =>
        notifier.NotifyAsync(refund.OrderId, refund.UserId, refund.CustomerEmail, NotificationKinds.PaymentRefunded,
            $"Your payment for order {refund.OrderId} was refunded",
            string.Create(CultureInfo.InvariantCulture,
                $"We refunded {refund.Amount:0.00} {refund.Currency} for order {refund.OrderId}, which was cancelled.\r\n"),
            cancellationToken);
}
