using OrderX.Contracts;
using OrderX.Messaging.Consumers;
using OrderX.Orders.Saga;

namespace OrderX.Orders.IntegrationEvents;

/// <summary>Puts the e-mail into the order's history, where the customer's live tracking shows it.</summary>
public sealed class NotificationSentHandler(OrderSaga saga) : IIntegrationEventHandler<NotificationSent>
{
    public Task HandleAsync(NotificationSent sent, EventEnvelope envelope, CancellationToken cancellationToken) =>
        saga.ApplyAsync(sent.OrderId, envelope.Type, o => o.CustomerNotified(sent.EmailSubject, saga.Now), cancellationToken);
}
