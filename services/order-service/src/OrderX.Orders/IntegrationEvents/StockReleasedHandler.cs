using OrderX.Contracts;
using OrderX.Messaging.Consumers;
using OrderX.Orders.Saga;

namespace OrderX.Orders.IntegrationEvents;

public sealed class StockReleasedHandler(OrderSaga saga) : IIntegrationEventHandler<StockReleased>
{
    public Task HandleAsync(StockReleased released, EventEnvelope envelope, CancellationToken cancellationToken) =>
        saga.ApplyAsync(released.OrderId, envelope.Type, o => o.StockReleased(saga.Now), cancellationToken);
}
