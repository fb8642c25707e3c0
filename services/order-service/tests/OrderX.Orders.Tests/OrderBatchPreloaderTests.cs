using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using OrderX.Contracts;
using OrderX.Orders.Data;
using OrderX.Orders.Domain;
using OrderX.Orders.IntegrationEvents;
using OrderX.Orders.Saga;
using OrderX.Testing;

namespace OrderX.Orders.Tests;

/// <summary>A consumer batch's orders are read in one query, and the saga's steps then apply to them as before.</summary>
public sealed class OrderBatchPreloaderTests : IDisposable
{
    private readonly SelectCounter _queries = new();
    private readonly SqliteTestDatabase<OrdersDbContext> _database;

    public OrderBatchPreloaderTests() =>
        _database = new(o => new OrdersDbContext(new DbContextOptionsBuilder<OrdersDbContext>(o).AddInterceptors(_queries).Options));

    [Fact]
    public async Task A_batch_of_answers_for_three_orders_reads_the_orders_in_one_query_and_steps_each_of_them()
    {
        var orders = await PlaceAsync(3);
        // Two answers for the first order (payment, then stock: it completes), one for each of the others, and one
        // envelope whose subject is not an order's id.
        var envelopes = orders.Select(Envelope).Append(Envelope(orders[0])).Append(Envelope("not-an-order")).ToList();
        await using var db = _database.NewContext();
        var saga = new OrderSaga(db, TestOutbox.Writer(), TimeProvider.System, NullLogger<OrderSaga>.Instance);
        _queries.Reset();

        await new OrderBatchPreloader().PreloadAsync(db, envelopes, CancellationToken.None);
        await new PaymentSucceededHandler(saga).HandleAsync(new PaymentSucceeded(orders[0], Guid.NewGuid(), 10m, "EUR"), envelopes[0], CancellationToken.None);
        foreach (var (order, envelope) in orders.Zip(envelopes))
            await new StockReservedHandler(saga).HandleAsync(new StockReserved(order, []), envelope, CancellationToken.None);

        Assert.Equal(1, _queries.Count);
        await db.SaveChangesAsync();
        await using var check = _database.NewContext();
        var stored = await check.Orders.AsNoTracking().Where(o => orders.Contains(o.Id)).ToDictionaryAsync(o => o.Id);
        Assert.Equal((OrderStatus.Paid, StockState.Reserved), (stored[orders[0]].Status, stored[orders[0]].StockStatus));
        Assert.All(orders.Skip(1), id => Assert.Equal((OrderStatus.Pending, StockState.Reserved), (stored[id].Status, stored[id].StockStatus)));
    }

    [Fact]
    public async Task An_order_the_batch_did_not_name_is_still_found_by_its_own_query()
    {
        var orders = await PlaceAsync(2);
        await using var db = _database.NewContext();
        var saga = new OrderSaga(db, TestOutbox.Writer(), TimeProvider.System, NullLogger<OrderSaga>.Instance);

        await new OrderBatchPreloader().PreloadAsync(db, [Envelope(orders[0])], CancellationToken.None);
        _queries.Reset();
        await new StockReservedHandler(saga).HandleAsync(new StockReserved(orders[1], []), Envelope(orders[1]), CancellationToken.None);

        Assert.Equal(1, _queries.Count);
        Assert.Equal(StockState.Reserved, db.Orders.Local.Single(o => o.Id == orders[1]).StockStatus);
    }

    private async Task<List<Guid>> PlaceAsync(int count)
    {
        await using var db = _database.NewContext();
        var orders = Enumerable.Range(0, count).Select(_ => Order.Place(Guid.NewGuid(), Guid.NewGuid(), "a@example.com",
            [new OrderItem { ProductId = Guid.NewGuid(), ProductName = "Beans", UnitPrice = 10m, Quantity = 1 }], DateTime.UtcNow)).ToList();
        db.Orders.AddRange(orders);
        await db.SaveChangesAsync();
        return orders.Select(o => o.Id).ToList();
    }

    private static EventEnvelope Envelope(Guid orderId) => Envelope(orderId.ToString());

    private static EventEnvelope Envelope(string subject) => new()
    {
        Id = Guid.NewGuid(), Type = StockReserved.EventType, Source = "test", Time = DateTimeOffset.UtcNow, Subject = subject, Data = default,
    };

    public void Dispose() => _database.Dispose();
}
