using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OrderX.Contracts;
using OrderX.Products.Data;
using OrderX.Products.Stock;
using OrderX.Testing;

namespace OrderX.Products.Tests;

/// <summary>
/// A consumer batch's reservations are read in one query and its products locked in one more; the ledger then decides
/// from the context.
/// </summary>
public sealed class StockLedgerPreloadTests : IDisposable
{
    private readonly SelectCounter _reservationQueries = new("stock_reservations");
    private readonly SelectCounter _productQueries = new("\"products\"");
    private readonly SqliteTestDatabase<ProductsDbContext> _database;

    public StockLedgerPreloadTests() => _database = SqliteTestDatabase<ProductsDbContext>.OnFile(o =>
        new ProductsDbContext(new DbContextOptionsBuilder<ProductsDbContext>(o).AddInterceptors(_reservationQueries, _productQueries).Options));

    [Fact]
    public async Task A_batch_that_sells_one_order_and_reserves_two_reads_the_reservations_and_the_products_in_one_query_each()
    {
        var product = await AddProductAsync(10);
        var other = await AddProductAsync(10);
        var sold = Guid.NewGuid();
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await InBatchAsync([], ledger => ledger.ReserveAsync(sold, [new StockLine(product, 2)], default));
        _reservationQueries.Reset();
        _productQueries.Reset();

        await InBatchAsync([Completed(sold), Created(first, (other, 1), (product, 3)), Created(second, (product, 1))], async ledger =>
        {
            Assert.True(await ledger.SellAsync(sold, default));
            Assert.True((await ledger.ReserveAsync(first, [new StockLine(other, 1), new StockLine(product, 3)], default))!.IsReserved);
            Assert.True((await ledger.ReserveAsync(second, [new StockLine(product, 1)], default))!.IsReserved);
        });

        Assert.Equal((1, 1), (_reservationQueries.Count, _productQueries.Count));
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

        await InBatchAsync([Cancelled(orderId), Created(orderId, (product, 3))], async ledger =>
        {
            Assert.Null(await ledger.ReleaseAsync(orderId, default));
            Assert.Null(await ledger.ReserveAsync(orderId, [new StockLine(product, 3)], default));
        });

        await using var db = _database.NewContext();
        Assert.Equal(0, (await db.Products.AsNoTracking().SingleAsync(p => p.Id == product)).Reserved);
        Assert.Equal(ReservationStatus.Cancelled, (await db.Reservations.AsNoTracking().SingleAsync(r => r.OrderId == orderId)).Status);
    }

    /// <summary>One unit of work as the inbox dispatcher runs a batch: preload, the handlers' ledger calls, save, commit.</summary>
    private async Task InBatchAsync(IReadOnlyList<EventEnvelope> batch, Func<StockLedger, Task> handlers)
    {
        await using var db = _database.NewContext();
        var ledger = new StockLedger(db, TimeProvider.System);
        if (batch.Count > 0)
            await new StockBatchPreloader(ledger).PreloadAsync(db, batch, default);
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

    private static EventEnvelope Created(Guid orderId, params (Guid ProductId, int Quantity)[] lines) =>
        Envelope(new OrderCreated(orderId, Guid.NewGuid(), "a@example.com", lines.Sum(l => l.Quantity), "EUR",
            [.. lines.Select(l => new OrderLine(l.ProductId, "Beans", l.Quantity, 1m))]));

    private static EventEnvelope Completed(Guid orderId) => Envelope(new OrderCompleted(orderId, Guid.NewGuid(), "a@example.com", 1m, "EUR"));

    private static EventEnvelope Cancelled(Guid orderId) => Envelope(new OrderCancelled(orderId, Guid.NewGuid(), "a@example.com", "test", "cancelled in the test"));

    private static EventEnvelope Envelope<TEvent>(TEvent data) where TEvent : IIntegrationEvent => new()
    {
        Id = Guid.NewGuid(), Type = TEvent.EventType, Source = "test", Time = DateTimeOffset.UtcNow, Subject = data.Subject,
        Data = JsonSerializer.SerializeToElement(data, ContractJson.Options),
    };

    public void Dispose() => _database.Dispose();
}
