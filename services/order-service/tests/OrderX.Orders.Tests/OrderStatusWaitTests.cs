using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OrderX.Orders.Apis;
using OrderX.Orders.Data;
using OrderX.Orders.Domain;
using OrderX.Orders.Tracking;
using OrderX.Testing;

namespace OrderX.Orders.Tests;

public sealed class OrderStatusWaitTests : IDisposable
{
    private readonly OrderChangeWatch _watch = new();
    private readonly SelectCounter _orderReads = new("\"orders\"");
    private readonly SqliteTestDatabase<OrdersDbContext> _database;
    private readonly Guid _orderId;
    private readonly Guid _ownerId = Guid.NewGuid();
    private ClaimsPrincipal Owner => TestCallers.Customer(_ownerId);

    public OrderStatusWaitTests()
    {
        _database = new SqliteTestDatabase<OrdersDbContext>(o => new OrdersDbContext(
            new DbContextOptionsBuilder<OrdersDbContext>(o).AddInterceptors(new OrderChangeInterceptor(_watch), _orderReads).Options));
        using var db = _database.NewContext();
        var order = Order.Place(Guid.NewGuid(), _ownerId, "a@example.com",
            [new OrderItem { ProductId = Guid.NewGuid(), ProductName = "Beans", UnitPrice = 10m, Quantity = 1 }], DateTime.UtcNow);
        db.Orders.Add(order);
        db.SaveChanges();
        _orderId = order.Id;
    }

    private async Task<OrderStatusDto> StatusAsync(int? waitSeconds)
    {
        await using var db = _database.NewContext();
        var result = await OrdersApi.GetStatus(_orderId, waitSeconds, Owner, db, _watch, TimeProvider.System, CancellationToken.None);
        return Assert.IsType<Ok<OrderStatusDto>>(result.Result).Value!;
    }

    // A status request that read the order pending and now waits for it to settle.
    private async Task<Task<OrderStatusDto>> WaitingAsync()
    {
        var waiting = StatusAsync(waitSeconds: 20);
        await Eventually.HoldsAsync(() => _watch.WatchedOrders == 1, "the request never started waiting");
        return waiting;
    }

    [Fact]
    public async Task A_waiting_request_answers_as_soon_as_the_payment_is_committed()
    {
        var waiting = StatusAsync(waitSeconds: 20);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, "answered while the order was still pending");

        await using (var db = _database.NewContext())
        {
            var order = await db.Orders.SingleAsync();
            order.StockReserved(DateTime.UtcNow);
            order.PaymentSucceeded(Guid.NewGuid(), DateTime.UtcNow);
            await db.SaveChangesAsync();
        }

        var status = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("paid", status.Status);
    }

    [Fact]
    public async Task A_wait_settled_by_this_instances_commit_answers_from_it_without_reading_the_order_again()
    {
        var waiting = await WaitingAsync();
        await using (var db = _database.NewContext())
        {
            var order = await db.Orders.SingleAsync();
            order.StockReserved(DateTime.UtcNow);
            order.PaymentSucceeded(Guid.NewGuid(), DateTime.UtcNow);
            await db.SaveChangesAsync();
        }
        _orderReads.Reset();

        var status = await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(0, _orderReads.Count);
        await using var check = _database.NewContext();
        var stored = await check.Orders.AsNoTracking().SingleAsync();
        Assert.Equal((stored.Status, stored.StatusMessage), (status.Status, status.Message));
    }

    [Fact]
    public async Task A_wait_woken_without_the_status_reads_the_order_again()
    {
        var waiting = await WaitingAsync();
        // As if another instance committed it: no save here tells this one, which then hears only that the order
        // changed (a bare id, as from a database not migrated yet).
        await using (var db = _database.NewContext())
            await db.Orders.Where(o => o.Id == _orderId).ExecuteUpdateAsync(u => u.SetProperty(o => o.Status, OrderStatus.Paid));
        _orderReads.Reset();
        _watch.Notify(_orderId);

        var status = await waiting.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(("paid", 1), (status.Status, _orderReads.Count));
    }

    [Fact]
    public async Task Without_a_wait_a_pending_order_answers_at_once()
    {
        var status = await StatusAsync(waitSeconds: null).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("pending", status.Status);
    }

    [Fact]
    public async Task A_wait_that_runs_out_answers_pending()
    {
        var status = await StatusAsync(waitSeconds: 1).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("pending", status.Status);
    }

    [Fact]
    public async Task A_wait_longer_than_allowed_is_refused()
    {
        await using var db = _database.NewContext();
        var result = await OrdersApi.GetStatus(_orderId, 31, Owner, db, _watch, TimeProvider.System, CancellationToken.None);
        Assert.IsType<ValidationProblem>(result.Result);
    }

    [Fact]
    public async Task Another_customers_order_is_not_found_and_an_admin_sees_it()
    {
        await using var db = _database.NewContext();
        var stranger = await OrdersApi.GetStatus(_orderId, null, TestCallers.Customer(Guid.NewGuid()), db, _watch, TimeProvider.System, CancellationToken.None);
        var admin = await OrdersApi.GetStatus(_orderId, null, TestCallers.Admin(), db, _watch, TimeProvider.System, CancellationToken.None);

        Assert.Equal(404, Assert.IsType<ProblemHttpResult>(stranger.Result).StatusCode);
        Assert.Equal("pending", Assert.IsType<Ok<OrderStatusDto>>(admin.Result).Value!.Status);
    }

    [Fact]
    public async Task Inside_a_transaction_waiters_are_woken_by_the_commit_not_by_the_save()
    {
        using var watcher = _watch.Watch(_orderId);
        var changed = watcher.Changed;
        await using var db = _database.NewContext();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var order = await db.Orders.SingleAsync();
        order.StockReserved(DateTime.UtcNow);
        order.PaymentSucceeded(Guid.NewGuid(), DateTime.UtcNow);
        await db.SaveChangesAsync();
        Assert.False(changed.IsCompleted, "woken before the change was committed: the re-read would still find it pending");

        await transaction.CommitAsync();

        Assert.True(changed.IsCompleted);
    }

    [Fact]
    public async Task A_rolled_back_change_wakes_nobody()
    {
        using var watcher = _watch.Watch(_orderId);
        var changed = watcher.Changed;
        await using (var db = _database.NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var order = await db.Orders.SingleAsync();
            order.StockReserved(DateTime.UtcNow);
            order.PaymentSucceeded(Guid.NewGuid(), DateTime.UtcNow);
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        await using (var db = _database.NewContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await transaction.CommitAsync();
        }

        Assert.False(changed.IsCompleted);
    }

    [Fact]
    public async Task A_step_that_leaves_the_order_pending_still_wakes_its_watchers()
    {
        using var watcher = _watch.Watch(_orderId);
        await using var db = _database.NewContext();
        (await db.Orders.SingleAsync()).StockReserved(DateTime.UtcNow);
        await db.SaveChangesAsync();

        Assert.True(watcher.Changed.IsCompleted);
    }

    [Fact]
    public async Task One_watcher_leaving_does_not_deafen_another_watching_the_same_order()
    {
        using var staying = _watch.Watch(_orderId);
        using (var leaving = _watch.Watch(_orderId))
            Assert.False(leaving.Changed.IsCompleted);

        await using var db = _database.NewContext();
        (await db.Orders.SingleAsync()).StockReserved(DateTime.UtcNow);
        await db.SaveChangesAsync();

        Assert.True(staying.Changed.IsCompleted);
    }

    [Fact]
    public async Task A_waiter_that_ran_out_leaves_no_watch_behind()
    {
        await StatusAsync(waitSeconds: 1);

        Assert.Equal(0, _watch.WatchedOrders);
    }

    [Fact]
    public void A_watcher_armed_again_after_a_change_waits_for_the_next_one()
    {
        using var watcher = _watch.Watch(_orderId);
        _watch.Notify(_orderId);
        Assert.True(watcher.Changed.IsCompleted);

        watcher.Arm();

        Assert.False(watcher.Changed.IsCompleted);
        _watch.NotifyAll();
        Assert.True(watcher.Changed.IsCompleted);
    }

    [Fact]
    public async Task A_wait_for_the_order_to_settle_sleeps_through_a_step_that_leaves_it_pending()
    {
        using var watcher = _watch.Watch(_orderId, untilSettled: true);
        await using var db = _database.NewContext();
        var order = await db.Orders.SingleAsync();
        order.StockReserved(DateTime.UtcNow);
        await db.SaveChangesAsync();
        Assert.False(watcher.Changed.IsCompleted, "woken by a step after which the order was still pending");

        order.PaymentSucceeded(Guid.NewGuid(), DateTime.UtcNow);
        await db.SaveChangesAsync();

        Assert.True(watcher.Changed.IsCompleted);
    }

    [Theory]
    [InlineData("paid", true)]
    [InlineData("cancelled", true)]
    [InlineData(null, true)]
    [InlineData("pending", false)]
    public void A_notification_wakes_a_wait_for_the_order_to_settle_unless_it_says_pending(string? status, bool wakes)
    {
        var listener = new OrderHistoryListener(new ServiceData.DatabaseSettings(ServiceData.DatabaseSettings.Postgres, "Host=unused"), _watch,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<OrderHistoryListener>.Instance);
        using var settling = _watch.Watch(_orderId, untilSettled: true);
        using var everyStep = _watch.Watch(_orderId);

        listener.Wake(status is null ? _orderId.ToString() : $"{_orderId}:{status}");

        Assert.Equal(wakes, settling.Changed.IsCompleted);
        Assert.True(everyStep.Changed.IsCompleted, "a watcher of every step missed one");
    }

    public void Dispose() => _database.Dispose();
}
