using Microsoft.EntityFrameworkCore;
using OrderX.Contracts;
using OrderX.Products.Data;
using OrderX.Products.Stock;
using OrderX.Testing;

namespace OrderX.Products.Tests;

/// <summary>
/// The ledger on PostgreSQL, where concurrent transactions (any number of product-service instances) see the same rows:
/// the products' row locks, not SQLite's one writer, keep the stock from being oversold, and batches that lock several
/// products at once never deadlock.
/// </summary>
public sealed class StockLedgerPostgresTests : IAsyncLifetime
{
    private readonly string _database = $"orderx_stock_{TestInfrastructure.UniqueSuffix()}";

    private DbContextOptions<PostgresProductsDbContext> Options => new DbContextOptionsBuilder<PostgresProductsDbContext>()
        .UseNpgsql($"{TestInfrastructure.PostgresServer};Database={_database}").Options;

    public async Task InitializeAsync()
    {
        await using var db = new PostgresProductsDbContext(Options);
        await db.Database.MigrateAsync();
    }

    [Fact]
    public async Task Concurrent_reservations_never_take_more_than_the_stock()
    {
        var product = await AddProductAsync(10);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => Task.Run(() =>
            InTransactionAsync(l => l.ReserveAsync(Guid.NewGuid(), [new StockLine(product, 1)], default)))));

        Assert.Equal(10, outcomes.Count(o => o!.IsReserved));
        Assert.Equal((10, 10), await LevelsAsync(product));
    }

    [Fact]
    public async Task Concurrent_batches_that_lock_the_same_products_in_any_order_all_commit_and_sell_exactly_what_they_reserved()
    {
        var (a, b, c) = (await AddProductAsync(1000), await AddProductAsync(1000), await AddProductAsync(1000));
        StockLine[][] shapes = [[new(c, 1), new(a, 2)], [new(b, 1), new(c, 1)], [new(a, 1), new(b, 3)]];

        // Eight batches at a time, each reserving for three orders whose lines name the products in another order,
        // then selling them: every batch must commit (no deadlock victim), and the levels add up to the lines.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(batch => Task.Run(async () =>
        {
            var orders = Enumerable.Range(0, 3).Select(i => (Id: Guid.NewGuid(), Lines: shapes[(batch + i) % 3])).ToList();
            await InTransactionAsync(async ledger =>
            {
                await ledger.PreloadAsync([.. orders.Select(o => o.Id)], orders.SelectMany(o => o.Lines.Select(l => l.ProductId)), default);
                foreach (var order in orders)
                    Assert.True((await ledger.ReserveAsync(order.Id, order.Lines, default))!.IsReserved);
                return true;
            });
            await InTransactionAsync(async ledger =>
            {
                await ledger.PreloadAsync([.. orders.Select(o => o.Id)], [], default);
                foreach (var order in orders)
                    Assert.True(await ledger.SellAsync(order.Id, default));
                return true;
            });
        })));

        // Each shape is used 8 times; a: 2 + 1, b: 1 + 3, c: 1 + 1 per round of the three shapes.
        Assert.Equal(((1000 - 24, 0), (1000 - 32, 0), (1000 - 16, 0)), (await LevelsAsync(a), await LevelsAsync(b), await LevelsAsync(c)));
    }

    // A single delivery's reservation looks for the order's reservation in its lock's statement: each outcome of that look.
    [Fact]
    public async Task A_second_order_created_for_the_same_order_reserves_nothing_more()
    {
        var product = await AddProductAsync(10);
        var orderId = Guid.NewGuid();
        Assert.True((await InTransactionAsync(l => l.ReserveAsync(orderId, [new StockLine(product, 4)], default)))!.IsReserved);

        Assert.Null(await InTransactionAsync(l => l.ReserveAsync(orderId, [new StockLine(product, 4)], default)));
        Assert.Equal((10, 4), await LevelsAsync(product));
    }

    [Fact]
    public async Task A_cancellation_that_arrives_before_the_order_stops_its_stock_from_being_reserved()
    {
        var product = await AddProductAsync(10);
        var orderId = Guid.NewGuid();

        Assert.Null(await InTransactionAsync(l => l.ReleaseAsync(orderId, default)));
        Assert.Null(await InTransactionAsync(l => l.ReserveAsync(orderId, [new StockLine(product, 4)], default)));

        Assert.Equal((10, 0), await LevelsAsync(product));
    }

    [Fact]
    public async Task An_order_with_a_deleted_or_unknown_product_reserves_nothing_and_names_both()
    {
        var (sold, deleted, unknown) = (await AddProductAsync(10), await AddProductAsync(10, deleted: true), Guid.NewGuid());

        var outcome = await InTransactionAsync(l => l.ReserveAsync(Guid.NewGuid(),
            [new StockLine(sold, 1), new StockLine(deleted, 1), new StockLine(unknown, 1)], default));

        Assert.False(outcome!.IsReserved);
        Assert.Equal(new[] { deleted, unknown }.Order(), outcome.Shortages.Select(s => s.ProductId).Order());
        Assert.Equal(((10, 0), (10, 0)), (await LevelsAsync(sold), await LevelsAsync(deleted)));
    }

    /// <summary>One unit of work as the inbox dispatcher runs it: the ledger's calls, save, commit.</summary>
    private async Task<T> InTransactionAsync<T>(Func<StockLedger, Task<T>> action)
    {
        await using var db = new PostgresProductsDbContext(Options);
        var result = await action(new StockLedger(db, TimeProvider.System));
        await db.SaveChangesAsync();
        if (db.Database.CurrentTransaction is { } transaction)
            await transaction.CommitAsync();
        return result;
    }

    private async Task<Guid> AddProductAsync(int stock, bool deleted = false)
    {
        await using var db = new PostgresProductsDbContext(Options);
        var product = new Product
        {
            Id = Guid.NewGuid(), Name = "Beans", Price = 1m, Stock = stock, CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
            DeletedAt = deleted ? DateTime.UtcNow : null,
        };
        db.Products.Add(product);
        await db.SaveChangesAsync();
        return product.Id;
    }

    private async Task<(int Stock, int Reserved)> LevelsAsync(Guid productId)
    {
        await using var db = new PostgresProductsDbContext(Options);
        var product = await db.Products.AsNoTracking().SingleAsync(p => p.Id == productId);
        return (product.Stock, product.Reserved);
    }

    public Task DisposeAsync() => TestDatabases.DropAsync(_database);
}
