using OrderX.Contracts;
using OrderX.Messaging.Consumers;
using OrderX.Orders.Saga;

namespace OrderX.Orders.IntegrationEvents;

public sealed class PaymentSucceededHandler(OrderSaga saga) : IIntegrationEventHandler<PaymentSucceeded>
{
    public Task HandleAsync(PaymentSucceeded paid, EventEnvelope envelope, CancellationToken cancellationToken) =>
        saga.ApplyAsync(paid.OrderId, envelope.Type, o => o.PaymentSucceeded(paid.PaymentId, saga.Now), cancellationToken);
}
