using OrderX.Contracts;
using OrderX.Messaging.Inbox;
using OrderX.Products.Data;
using OrderX.Products.Stock;

namespace OrderX.Products.IntegrationEvents;

/// <summary>
/// The stock reservations of every order a batch of order events names (their subject is the order's id), in one
/// query: the ledger (the batch's, on the batch's context) then looks none of them up on its own.
/// </summary>
public sealed class ReservationBatchPreloader(StockLedger ledger) : IBatchPreloader<ProductsDbContext>
{
    public Task PreloadAsync(ProductsDbContext db, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        var orderIds = BatchSubjects.Ids(envelopes);
        return orderIds.Count == 0 ? Task.CompletedTask : ledger.PreloadAsync(orderIds, cancellationToken);
    }
}
