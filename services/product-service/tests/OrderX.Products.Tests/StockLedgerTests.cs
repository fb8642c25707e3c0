using Microsoft.EntityFrameworkCore;
using OrderX.Contracts;
using OrderX.Products.Data;
using OrderX.Products.Stock;
using OrderX.Testing;

namespace OrderX.Products.Tests;

public sealed class StockLedgerTests : IDisposable
{
    private readonly SqliteTestDatabase<ProductsDbContext> _database = SqliteTestDatabase<ProductsDbContext>.OnFile(o => new ProductsDbContext(o));

    private Guid AddProduct(int stock, bool deleted = false)
    {
        using var db = _database.NewContext();
        var product = new Product
        {
            Id = Guid.NewGuid(), Name = $"P{stock}", Price = 1m, Stock = stock, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            DeletedAt = deleted ? DateTime.UtcNow : null,
        };
        db.Products.Add(product);
        db.SaveChanges();
        return product.Id;
    }

    /// <summary>Runs one ledger call as the inbox dispatcher does: save, then commit the ledger's transaction.</summary>
    private async Task<T> InTransactionAsync<T>(Func<StockLedger, Task<T>> action)
    {
        await using var db = _database.NewContext();
        var result = await action(new StockLedger(db, TimeProvider.System));
        await db.SaveChangesAsync();
        if (db.Database.CurrentTransaction is { } transaction)
            await transaction.CommitAsync();
        return result;
    }

    private (int Stock, int Reserved) Levels(Guid productId)
    {
        using var db = _database.NewContext();
        var product = db.Products.AsNoTracking().Single(p => p.Id == productId);
        return (product.Stock, product.Reserved);
    }

    private string? ReservationStatusOf(Guid orderId)
    {
        using var db = _database.NewContext();
        return db.Reservations.AsNoTracking().SingleOrDefault(r => r.OrderId == orderId)?.Status;
    }

    [Fact]
    public async Task A_reservation_takes_every_line_and_a_sale_takes_it_off_the_shelf()
    {
        var a = AddProduct(10);
        var b = AddProduct(5);
        var orderId = Guid.NewGuid();

        var outcome = await InTransactionAsync(l => l.ReserveAsync(orderId, [new StockLine(a, 3), new StockLine(b, 5)], default));

        Assert.True(outcome!.IsReserved);
        Assert.Equal(((10, 3), (5, 5)), (Levels(a), Levels(b)));

        Assert.True(await InTransactionAsync(l => l.SellAsync(orderId, default)));
        Assert.Equal(((7, 0), (0, 0)), (Levels(a), Levels(b)));
        Assert.Equal(ReservationStatus.Sold, ReservationStatusOf(orderId));
    }

    [Fact]
    public async Task When_one_line_is_short_nothing_is_reserved_and_the_shortage_is_explained()
    {
        var plenty = AddProduct(100);
        var scarce = AddProduct(2);
        var orderId = Guid.NewGuid();

        var outcome = await InTransactionAsync(l => l.ReserveAsync(orderId, [new StockLine(plenty, 1), new StockLine(scarce, 3)], default));

        Assert.False(outcome!.IsReserved);
        var shortage = Assert.Single(outcome.Shortages);
        Assert.Equal((scarce, 3, 2), (shortage.ProductId, shortage.Requested, shortage.Available));
        Assert.Equal(((100, 0), (2, 0)), (Levels(plenty), Levels(scarce)));
        Assert.Equal(ReservationStatus.Rejected, ReservationStatusOf(orderId));
    }

    [Fact]
    public async Task A_deleted_or_unknown_product_cannot_be_reserved()
    {
        var deleted = AddProduct(10, deleted: true);

        var outcome = await InTransactionAsync(l => l.ReserveAsync(Guid.NewGuid(), [new StockLine(deleted, 1), new StockLine(Guid.NewGuid(), 1)], default));

        Assert.False(outcome!.IsReserved);
        Assert.Equal(2, outcome.Shortages.Count);
        Assert.Equal((10, 0), Levels(deleted));
    }

    [Fact]
    public async Task A_second_order_created_for_the_same_order_reserves_nothing_more()
    {
        var product = AddProduct(10);
        var orderId = Guid.NewGuid();
        await InTransactionAsync(l => l.ReserveAsync(orderId, [new StockLine(product, 4)], default));

        Assert.Null(await InTransactionAsync(l => l.ReserveAsync(orderId, [new StockLine(product, 4)], default)));
        Assert.Equal((10, 4), Levels(product));
    }

    [Fact]
    public async Task A_cancelled_order_gets_its_reservation_released_once()
    {
        var product = AddProduct(10);
        var orderId = Guid.NewGuid();
        await InTransactionAsync(l => l.ReserveAsync(orderId, [new StockLine(product, 4)], default));

        var released = await InTransactionAsync(l => l.ReleaseAsync(orderId, default));
        var again = await InTransactionAsync(l => l.ReleaseAsync(orderId, default));

        Assert.Equal(4, Assert.Single(released!).Quantity);
        Assert.Null(again);
        Assert.Equal((10, 0), Levels(product));
        Assert.False(await InTransactionAsync(l => l.SellAsync(orderId, default)));
    }

    [Fact]
    public async Task A_cancellation_that_arrives_before_the_order_stops_its_stock_from_being_reserved()
    {
        var product = AddProduct(10);
        var orderId = Guid.NewGuid();

        Assert.Null(await InTransactionAsync(l => l.ReleaseAsync(orderId, default)));
        Assert.Null(await InTransactionAsync(l => l.ReserveAsync(orderId, [new StockLine(product, 4)], default)));

        Assert.Equal((10, 0), Levels(product));
        Assert.Equal(ReservationStatus.Cancelled, ReservationStatusOf(orderId));
    }

    [Fact]
    public async Task Concurrent_reservations_never_take_more_than_the_stock()
    {
        var product = AddProduct(10);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() =>
            InTransactionAsync(l => l.ReserveAsync(Guid.NewGuid(), [new StockLine(product, 1)], default)))));

        Assert.Equal(10, outcomes.Count(o => o!.IsReserved));
        Assert.Equal((10, 10), Levels(product));
    }

    public void Dispose() => _database.Dispose();
}
