using Microsoft.EntityFrameworkCore;
using OrderX.Contracts;
using OrderX.Messaging;
using OrderX.Messaging.Inbox;
using OrderX.Orders.Data;
using OrderX.Orders.Domain;

namespace OrderX.Orders.IntegrationEvents;

/// <summary>
/// The orders a batch of payment, stock and e-mail answers steps, in one query: every order event's subject is its
/// order's id, and the saga's look-up (<c>FindAsync</c>) then reads each order from the context.
/// </summary>
public sealed class OrderBatchPreloader : IBatchPreloader<OrdersDbContext>
{
    public async Task PreloadAsync(OrdersDbContext db, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        var ids = BatchSubjects.Ids(envelopes);
        if (ids.Count > 0)
            await OrdersAmong.For(db)(db, ids).LoadAsync(cancellationToken);
    }

    // Tracked, without their items: no step of the saga reads them (OrderSaga.ApplyAsync reads them the same way).
    private static readonly CompiledPerModel<Func<OrdersDbContext, List<Guid>, IAsyncEnumerable<Order>>> OrdersAmong = new(() => EF.CompileAsyncQuery(
        (OrdersDbContext db, List<Guid> ids) => db.Orders.IgnoreAutoIncludes().Where(o => ids.Contains(o.Id))));
}
