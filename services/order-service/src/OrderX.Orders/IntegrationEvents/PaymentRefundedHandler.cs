using OrderX.Contracts;
using OrderX.Messaging.Consumers;
using OrderX.Orders.Saga;

namespace OrderX.Orders.IntegrationEvents;

public sealed class PaymentRefundedHandler(OrderSaga saga) : IIntegrationEventHandler<PaymentRefunded>
{
    public Task HandleAsync(PaymentRefunded refunded, EventEnvelope envelope, CancellationToken cancellationToken) =>
        saga.ApplyAsync(refunded.OrderId, envelope.Type, o => o.PaymentRefunded(refunded.PaymentId, saga.Now), cancellationToken);
}
