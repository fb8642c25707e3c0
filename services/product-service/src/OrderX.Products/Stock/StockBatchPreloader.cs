using OrderX.Contracts;
using OrderX.Messaging.Inbox;
using OrderX.Products.Data;

namespace OrderX.Products.Stock;

/// <summary>
/// Before a consumer batch's handlers run: the reservations of every order it names, and every product it can move
/// locked, each in one statement (<see cref="StockLedger.PreloadAsync"/>).
/// </summary>
public sealed class StockBatchPreloader(StockLedger ledger) : IBatchPreloader<ProductsDbContext>
{
    public Task PreloadAsync(ProductsDbContext db, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        var orderedProductIds = envelopes
            .Where(e => e.Type == OrderCreated.EventType)
            .SelectMany(e => e.DataAs<OrderCreated>().Lines.Select(l => l.ProductId));
        return ledger.PreloadAsync(BatchSubjects.Ids(envelopes), orderedProductIds, cancellationToken);
    }
}
