using Microsoft.Extensions.Logging;
using OrderX.Contracts;
using OrderX.Messaging.Consumers;
using OrderX.Messaging.Outbox;
using OrderX.Products.Data;
using OrderX.Products.Stock;

namespace OrderX.Products.IntegrationEvents;

/// <summary>order.cancelled → the order's reservation goes back on the shelf → stock.released.</summary>
public sealed partial class OrderCancelledHandler(
    ProductsDbContext db,
    StockLedger ledger,
    OutboxWriter outbox,
    ILogger<OrderCancelledHandler> logger) : IIntegrationEventHandler<OrderCancelled>
{
    public async Task HandleAsync(OrderCancelled order, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var released = await ledger.ReleaseAsync(order.OrderId, cancellationToken);
        if (released is null)
        {
            LogNothingToRelease(order.OrderId);
            return;
        }
        outbox.Add(db, new StockReleased(order.OrderId, released));
        LogReleased(order.OrderId, released.Count);
    }

    [LoggerMessage(LogLevel.Information, "Order {OrderId} cancelled: {Lines} reserved line(s) released; stock.released queued")]
    private partial void LogReleased(Guid orderId, int lines);

    [LoggerMessage(LogLevel.Information, "Order {OrderId} cancelled with nothing reserved here")]
    private partial void LogNothingToRelease(Guid orderId);
}
