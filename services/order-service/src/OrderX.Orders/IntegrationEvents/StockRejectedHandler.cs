using OrderX.Contracts;
using OrderX.Messaging.Consumers;
using OrderX.Orders.Saga;

namespace OrderX.Orders.IntegrationEvents;

public sealed class StockRejectedHandler(OrderSaga saga) : IIntegrationEventHandler<StockRejected>
{
    public Task HandleAsync(StockRejected rejected, EventEnvelope envelope, CancellationToken cancellationToken) =>
        saga.ApplyAsync(rejected.OrderId, envelope.Type,
            o => o.StockRejected(string.Join(" ", rejected.Shortages.Select(s => s.Reason)), saga.Now), cancellationToken);
}
