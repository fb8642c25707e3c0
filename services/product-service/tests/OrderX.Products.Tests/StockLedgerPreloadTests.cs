using Microsoft.EntityFrameworkCore;
using OrderX.Contracts;
using OrderX.Messaging.Inbox;
using OrderX.Products.Data;
using OrderX.Products.IntegrationEvents;
using OrderX.Products.Stock;
using OrderX.Testing;

namespace OrderX.Products.Tests;

/// <summary>A consumer batch's reservations are read in one query, and the ledger then decides from the context.</summary>
public sealed class StockLedgerPreloadTests : IDisposable
{
    private readonly SelectCounter _queries = new("stock_reservations");
    private readonly SqliteTestDatabase<ProductsDbContext> _database;

    public StockLedgerPreloadTests() => _database = SqliteTestDatabase<ProductsDbContext>.OnFile(o =>
        new ProductsDbContext(new DbContextOptionsBuilder<ProductsDbContext>(o).AddInterceptors(_queries).Options));

    [Fact]
    public async Task A_batch_that_sells_one_order_and_reserves_two_reads_the_reservations_in_one_query()
    {
        var product = await AddProductAsync(10);
        var sold = Guid.NewGuid();
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await InBatchAsync([], ledger => ledger.ReserveAsync(sold, [new StockLine(product, 2)], default));
        _queries.Reset();

        await InBatchAsync([sold, first, second], async ledger =>
        {
            Assert.True(await ledger.SellAsync(sold, default));
            Assert.True((await ledger.ReserveAsync(first, [new StockLine(product, 3)], default))!.IsReserved);
            Assert.True((await ledger.ReserveAsync(second, [new StockLine(product, 1)], default))!.IsReserved);
        });

        Assert.Equal(1, _queries.Count);
        await using var db = _database.NewContext();
        var stored = await db.Products.AsNoTracking().SingleAsync(p => p.Id == product);
        Assert.Equal((8, 4), (stored.Stock, stored.Reserved));
        var statuses = await db.Reservations.AsNoTracking().ToDictionaryAsync(r => r.OrderId, r => r.Status);
        Assert.Equal((ReservationStatus.Sold, ReservationStatus.Reserved, ReservationStatus.Reserved), (statuses[sold], statuses[first], statuses[second]));
    }

    [Fact]
    public async Task A_cancellation_earlier_in_the_same_batch_stops_the_orders_reservation()
    {
        var product = await AddProductAsync(10);
        var orderId = Guid.NewGuid();

        await InBatchAsync([orderId], async ledger =>
        {
            Assert.Null(await ledger.ReleaseAsync(orderId, default));
            Assert.Null(await ledger.ReserveAsync(orderId, [new StockLine(product, 3)], default));
        });

        await using var db = _database.NewContext();
        Assert.Equal(0, (await db.Products.AsNoTracking().SingleAsync(p => p.Id == product)).Reserved);
        Assert.Equal(ReservationStatus.Cancelled, (await db.Reservations.AsNoTracking().SingleAsync(r => r.OrderId == orderId)).Status);
    }

    /// <summary>One unit of work as the inbox dispatcher runs a batch: preload, the handlers' ledger calls, save, commit.</summary>
    private async Task InBatchAsync(IReadOnlyList<Guid> orderIds, Func<StockLedger, Task> handlers)
    {
        await using var db = _database.NewContext();
        var ledger = new StockLedger(db, TimeProvider.System);
        if (orderIds.Count > 0)
            await new SubjectBatchPreloader<ProductsDbContext, StockLedger>(ledger).PreloadAsync(db, [.. orderIds.Select(Envelope)], default);
        await handlers(ledger);
        await db.SaveChangesAsync();
        if (db.Database.CurrentTransaction is { } transaction)
            await transaction.CommitAsync();
    }

    private async Task<Guid> AddProductAsync(int stock)
    {
        await using var db = _database.NewContext();
        var product = new Product { Id = Guid.NewGuid(), Name = "Beans", Price = 1m, Stock = stock, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
        db.Products.Add(product);
        await db.SaveChangesAsync();
        return product.Id;
    }

    private static EventEnvelope Envelope(Guid orderId) => new()
    {
        Id = Guid.NewGuid(), Type = OrderCreated.EventType, Source = "test", Time = DateTimeOffset.UtcNow, Subject = orderId.ToString(), Data = default,
    };

    public void Dispose() => _database.Dispose();
}
