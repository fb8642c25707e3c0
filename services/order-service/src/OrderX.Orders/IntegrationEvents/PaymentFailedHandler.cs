using OrderX.Contracts;
using OrderX.Messaging.Consumers;
using OrderX.Orders.Saga;

namespace OrderX.Orders.IntegrationEvents;

public sealed class PaymentFailedHandler(OrderSaga saga) : IIntegrationEventHandler<PaymentFailed>
{
    public Task HandleAsync(PaymentFailed failed, EventEnvelope envelope, CancellationToken cancellationToken) =>
        saga.ApplyAsync(failed.OrderId, envelope.Type, o => o.PaymentFailed(failed.PaymentId, failed.Reason, saga.Now), cancellationToken);
}
