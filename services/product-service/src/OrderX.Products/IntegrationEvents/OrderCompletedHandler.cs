using Microsoft.Extensions.Logging;
using OrderX.Contracts;
using OrderX.Messaging.Consumers;
using OrderX.Products.Stock;

namespace OrderX.Products.IntegrationEvents;

/// <summary>order.completed → the reservation becomes a sale: stock on hand goes down by what was reserved.</summary>
public sealed partial class OrderCompletedHandler(StockLedger ledger, ILogger<OrderCompletedHandler> logger) : IIntegrationEventHandler<OrderCompleted>
{
    public async Task HandleAsync(OrderCompleted order, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        if (await ledger.SellAsync(order.OrderId, cancellationToken))
            LogSold(order.OrderId);
        else
            LogNothingReserved(order.OrderId);
    }

    [LoggerMessage(LogLevel.Debug, "Order {OrderId}: reservation turned into a sale")]
    private partial void LogSold(Guid orderId);

    [LoggerMessage(LogLevel.Warning, "Order {OrderId} completed but holds no open reservation here; nothing sold")]
    private partial void LogNothingReserved(Guid orderId);
}
