using System.Globalization;
using OrderX.Contracts;
using OrderX.Messaging.Consumers;

namespace OrderX.Notifications.IntegrationEvents;

public sealed class OrderCompletedHandler(CustomerNotifier notifier) : IIntegrationEventHandler<OrderCompleted>
{
    public Task HandleAsync(OrderCompleted order, EventEnvelope envelope, CancellationToken cancellationToken) =>
        notifier.NotifyAsync(order.OrderId, order.UserId, order.CustomerEmail, NotificationKinds.OrderCompleted,
            $"Your order {order.OrderId} is confirmed",
            string.Create(CultureInfo.InvariantCulture,
                $"Thank you for your order. We received your payment of {order.Total:0.00} {order.Currency}.\r\nOrder: {order.OrderId}\r\n"),
            cancellationToken);
}
