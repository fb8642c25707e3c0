using OrderX.Contracts;
using OrderX.Messaging.Consumers;
using OrderX.Orders.Saga;

namespace OrderX.Orders.IntegrationEvents;

public sealed class StockReservedHandler(OrderSaga saga) : IIntegrationEventHandler<StockReserved>
{
    public Task HandleAsync(StockReserved reserved, EventEnvelope envelope, CancellationToken cancellationToken) =>
        saga.ApplyAsync(reserved.OrderId, envelope.Type, o => o.StockReserved(saga.Now), cancellationToken);
}
