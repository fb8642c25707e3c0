using OrderX.Contracts;
using OrderX.Messaging.Inbox;

namespace OrderX.Notifications.IntegrationEvents;

public sealed class OrderCancelledHandler(CustomerNotifier notifier) : IIntegrationEventHandler<OrderCancelled>
{
    public Task HandleAsync(OrderCancelled order, EventEnvelope envelope, CancellationToken cancellationToken) =>
        notifier.NotifyAsync(order.OrderId, order.UserId, order.CustomerEmail, order.Status,
            $"Your order {order.OrderId} could not be completed",
            $"We could not complete your order {order.OrderId}.\r\nReason: {order.Reason}\r\n",
            cancellationToken);
}
