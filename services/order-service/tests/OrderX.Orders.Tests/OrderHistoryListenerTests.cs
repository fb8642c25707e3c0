using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OrderX.Contracts;
using OrderX.Orders.Apis;
using OrderX.Orders.Data;
using OrderX.Orders.Domain;
using OrderX.Orders.Tracking;
using OrderX.Testing;

namespace OrderX.Orders.Tests;

/// <summary>
/// Two instances of the order service on one PostgreSQL database: a step committed by one reaches a stream held
/// by the other through LISTEN/NOTIFY, while that instance reads the database only every 15 s by itself.
/// </summary>
public sealed class OrderHistoryListenerTests : IAsyncLifetime
{
    private readonly string _prefix = $"orderx_listen_{Guid.NewGuid():N}"[..28] + "_";
    private OrderServiceUnderTest? _holding;
    private OrderServiceUnderTest? _writing;

    public async Task InitializeAsync()
    {
        string[] postgres = ["--Database:Provider=postgres", $"--ConnectionStrings:Postgres={TestInfrastructure.PostgresServer}", $"--Database:NamePrefix={_prefix}"];
        _holding = await OrderServiceUnderTest.StartAsync(postgres);
        _writing = await OrderServiceUnderTest.StartAsync(postgres, _holding.IssuerKey);
    }

    [Fact]
    public async Task A_step_committed_by_another_instance_reaches_the_stream_at_once()
    {
        var owner = Guid.NewGuid();
        var (order, _) = await PlaceOrderHeardByTheHoldingInstanceAsync(owner);

        using var client = _holding!.Client();
        var (_, opened) = await EventStream.OpenAsync(client, $"/api/orders/{order.Id}/events", TestTokens.Mint(_holding.IssuerKey, subject: owner));
        await using var stream = opened;
        Assert.Equal(OrderCauses.Placed, (await stream!.NextAsync<OrderStepEvent>()).Cause);

        var committed = DateTime.UtcNow;
        await ChangeAsync(_writing!, db => db.Orders.Single(o => o.Id == order.Id).StockReserved(DateTime.UtcNow));

        Assert.Equal(StockReserved.EventType, (await stream.NextAsync<OrderStepEvent>(TimeSpan.FromSeconds(5))).Cause);
        Assert.True(DateTime.UtcNow - committed < OrderChangeWatch.SafetyRecheck / 3, "arrived by the safety re-read, not by the notification");
    }

    [Fact]
    public async Task A_status_wait_on_one_instance_ignores_another_instances_pending_step_and_answers_its_payment()
    {
        var owner = Guid.NewGuid();
        var (order, watch) = await PlaceOrderHeardByTheHoldingInstanceAsync(owner);
        using var settling = watch.Watch(order.Id, untilSettled: true);
        using var everyStep = watch.Watch(order.Id);

        await ChangeAsync(_writing!, db => db.Orders.Single(o => o.Id == order.Id).StockReserved(DateTime.UtcNow));
        await everyStep.Changed.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(settling.Changed.IsCompleted, "the notification of a step that left the order pending woke a wait for it to settle");

        using var client = _holding!.Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Mint(_holding.IssuerKey, subject: owner));
        var answer = client.GetFromJsonAsync<OrderStatusDto>($"/api/orders/{order.Id}/status?waitSeconds=10");
        await Task.Delay(300);
        var committed = DateTime.UtcNow;
        await ChangeAsync(_writing!, db => db.Orders.Single(o => o.Id == order.Id).PaymentSucceeded(Guid.NewGuid(), DateTime.UtcNow));

        Assert.Equal(OrderStatus.Paid, (await answer.WaitAsync(TimeSpan.FromSeconds(10)))!.Status);
        Assert.True(DateTime.UtcNow - committed < OrderChangeWatch.SafetyRecheck / 3, "answered by the safety re-read, not by the notification");
    }

    [Fact]
    public async Task An_orders_placement_is_not_notified_and_its_next_step_is()
    {
        var watch = _holding!.Services.GetRequiredService<OrderChangeWatch>();
        await Eventually.HoldsAsync(() => watch.SeesOtherInstances, "the holding instance never listened");
        var order = NewOrder(Guid.NewGuid());
        // Watched by id before the order exists, which no request can do: only a notification can wake it.
        using var watcher = watch.Watch(order.Id);

        await ChangeAsync(_writing!, db => db.Orders.Add(order));
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(watcher.Changed.IsCompleted, "the order's placement was notified");

        await ChangeAsync(_writing!, db => db.Orders.Single(o => o.Id == order.Id).StockReserved(DateTime.UtcNow));
        await watcher.Changed.WaitAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>An order placed by the writing instance, once the holding instance listens for its steps.</summary>
    private async Task<(Order Order, OrderChangeWatch Watch)> PlaceOrderHeardByTheHoldingInstanceAsync(Guid owner)
    {
        var order = NewOrder(owner);
        await ChangeAsync(_writing!, db => db.Orders.Add(order));
        var watch = _holding!.Services.GetRequiredService<OrderChangeWatch>();
        await Eventually.HoldsAsync(() => watch.SeesOtherInstances, "the holding instance never listened");
        return (order, watch);
    }

    private static Order NewOrder(Guid owner) => Order.Place(Guid.NewGuid(), owner, "ada@example.com",
        [new OrderItem { ProductId = Guid.NewGuid(), ProductName = "Beans", UnitPrice = 10m, Quantity = 1 }], DateTime.UtcNow);

    private static async Task ChangeAsync(OrderServiceUnderTest instance, Action<OrdersDbContext> change)
    {
        await using var scope = instance.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        change(db);
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync()
    {
        if (_writing is not null)
            await _writing.DisposeAsync();
        if (_holding is not null)
            await _holding.DisposeAsync();
        await TestDatabases.DropAsync(_prefix + "%");
    }
}
