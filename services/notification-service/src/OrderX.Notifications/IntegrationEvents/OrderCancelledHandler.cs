using OrderX.Contracts;
using OrderX.Messaging.Consumers;

namespace OrderX.Notifications.IntegrationEvents;

public sealed class OrderCancelledHandler(CustomerNotifier notifier) : IIntegrationEventHandler<OrderCancelled>
{
    public Task HandleAsync(OrderCancelled order, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var kind = NotificationKinds.ForCancellation(order.ReasonCode);
        var subject = kind switch
        {
            NotificationKinds.PaymentDeclined => $"Your payment for order {order.OrderId} was declined",
            NotificationKinds.OutOfStock => $"Your order {order.OrderId} could not be completed: out of stock",
            _ => $"Your order {order.OrderId} was cancelled",
        };
        return notifier.NotifyAsync(order.OrderId, order.UserId, order.CustomerEmail, kind, subject,
            $"We could not complete your order {order.OrderId}.\r\nReason: {order.Reason}\r\n" +
            "If you were charged, the money is refunded and you will get a separate message when it is.\r\n",
            cancellationToken);
    }
}
