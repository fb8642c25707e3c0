using Microsoft.Extensions.Logging;
using OrderX.Contracts;
using OrderX.Messaging.Consumers;
using OrderX.Messaging.Outbox;
using OrderX.Products.Data;
using OrderX.Products.Stock;

namespace OrderX.Products.IntegrationEvents;

/// <summary>order.created → reserve every line or none → stock.reserved or stock.rejected, in one transaction.</summary>
public sealed partial class OrderCreatedHandler(
    ProductsDbContext db,
    StockLedger ledger,
    OutboxWriter outbox,
    ILogger<OrderCreatedHandler> logger) : IIntegrationEventHandler<OrderCreated>
{
    public async Task HandleAsync(OrderCreated order, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var lines = order.Lines.Select(l => new StockLine(l.ProductId, l.Quantity)).ToList();
        var outcome = await ledger.ReserveAsync(order.OrderId, lines, cancellationToken);
        if (outcome is null)
        {
            LogAlreadyHandled(order.OrderId);
        }
        else if (outcome.IsReserved)
        {
            outbox.Add(db, new StockReserved(order.OrderId, outcome.Lines));
            LogReserved(order.OrderId, outcome.Lines.Count);
        }
        else
        {
            outbox.Add(db, new StockRejected(order.OrderId, outcome.Shortages));
            LogRejected(order.OrderId, string.Join(" ", outcome.Shortages.Select(s => s.Reason)));
        }
    }

    [LoggerMessage(LogLevel.Debug, "Order {OrderId}: {Lines} line(s) reserved; stock.reserved queued")]
    private partial void LogReserved(Guid orderId, int lines);

    [LoggerMessage(LogLevel.Information, "Order {OrderId}: stock rejected ({Reason}); stock.rejected queued")]
    private partial void LogRejected(Guid orderId, string reason);

    [LoggerMessage(LogLevel.Information, "Order {OrderId}: stock already handled or the order was cancelled first; order.created ignored")]
    private partial void LogAlreadyHandled(Guid orderId);
}
