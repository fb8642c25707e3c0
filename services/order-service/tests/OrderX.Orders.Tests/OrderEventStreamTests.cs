using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderX.Contracts;
using OrderX.Orders.Apis;
using OrderX.Orders.Data;
using OrderX.Orders.Domain;
using OrderX.Orders.Tracking;
using OrderX.ServiceDefaults.Auth;
using OrderX.Testing;

namespace OrderX.Orders.Tests;

/// <summary>The real order service's event stream of one order, over HTTP, fed by commits to its database.</summary>
public sealed class OrderEventStreamTests : IAsyncLifetime
{
    private OrderServiceUnderTest? _service;
    private readonly Guid _ownerId = Guid.NewGuid();
    private Guid _orderId;

    private OrderServiceUnderTest Service => _service!;
    private string OwnerToken => TestTokens.Mint(Service.IssuerKey, subject: _ownerId);
    private string Path => $"/api/orders/{_orderId}/events";

    public async Task InitializeAsync()
    {
        _service = await OrderServiceUnderTest.StartAsync();
        var order = Order.Place(Guid.NewGuid(), _ownerId, "ada@example.com",
            [new OrderItem { ProductId = Guid.NewGuid(), ProductName = "Beans", UnitPrice = 10m, Quantity = 2 }], DateTime.UtcNow);
        await ChangeAsync(db => db.Orders.Add(order));
        _orderId = order.Id;
    }

    private async Task ChangeAsync(Action<OrdersDbContext> change)
    {
        await using var scope = Service.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        change(db);
        await db.SaveChangesAsync();
    }

    private Task StepAsync(Func<Order, OrderOutcome> step) => ChangeAsync(db => step(db.Orders.Single(o => o.Id == _orderId)));

    [Fact]
    public async Task The_stream_sends_the_steps_already_taken_then_each_new_step_as_it_is_committed()
    {
        using var client = Service.Client();
        var (response, opened) = await EventStream.OpenAsync(client, Path, OwnerToken);
        await using var stream = opened;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(stream);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        var placed = await stream.NextAsync();
        Assert.Equal(OrderEventStream.StepEvent, placed.EventType);
        var placedStep = System.Text.Json.JsonSerializer.Deserialize<OrderStepEvent>(placed.Data, System.Text.Json.JsonSerializerOptions.Web)!;
        Assert.Equal(OrderCauses.Placed, placedStep.Cause);
        Assert.Equal(placedStep.Id.ToString(), placed.EventId);

        await StepAsync(o => o.StockReserved(DateTime.UtcNow));
        var reserved = await stream.NextAsync<OrderStepEvent>(TimeSpan.FromSeconds(3));
        Assert.Equal(StockReserved.EventType, reserved.Cause);
        Assert.Equal(OrderStatus.Pending, reserved.Status);

        await StepAsync(o => o.PaymentSucceeded(Guid.NewGuid(), DateTime.UtcNow));
        var paid = await stream.NextAsync<OrderStepEvent>(TimeSpan.FromSeconds(3));
        Assert.Equal(PaymentSucceeded.EventType, paid.Cause);
        Assert.Equal(OrderStatus.Paid, paid.Status);
        Assert.True(paid.Id > reserved.Id && reserved.Id > placedStep.Id);
    }

    [Fact]
    public async Task A_reconnect_with_Last_Event_ID_gets_only_the_steps_after_it()
    {
        await StepAsync(o => o.StockReserved(DateTime.UtcNow));
        using var client = Service.Client();
        long placedId;
        var (_, first) = await EventStream.OpenAsync(client, Path, OwnerToken);
        await using (first)
        {
            placedId = (await first!.NextAsync<OrderStepEvent>()).Id;
            Assert.Equal(StockReserved.EventType, (await first.NextAsync<OrderStepEvent>()).Cause);
        }
        // Dropped after the first step: the payment was committed while nobody listened.
        await StepAsync(o => o.PaymentSucceeded(Guid.NewGuid(), DateTime.UtcNow));

        var (_, resumed) = await EventStream.OpenAsync(client, Path, OwnerToken, lastEventId: placedId.ToString());
        await using (resumed)
        {
            Assert.Equal(StockReserved.EventType, (await resumed!.NextAsync<OrderStepEvent>()).Cause);
            Assert.Equal(PaymentSucceeded.EventType, (await resumed.NextAsync<OrderStepEvent>()).Cause);
        }
    }

    [Fact]
    public async Task Someone_elses_order_stream_is_not_found_and_an_admin_may_watch_it()
    {
        using var client = Service.Client();
        var (stranger, strangerStream) = await EventStream.OpenAsync(client, Path, TestTokens.Mint(Service.IssuerKey));
        var (admin, adminStream) = await EventStream.OpenAsync(client, Path, TestTokens.Mint(Service.IssuerKey, OrderXRoles.Admin));
        await using (adminStream)
        {
            Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
            Assert.Null(strangerStream);
            Assert.Equal("application/problem+json", stranger.Content.Headers.ContentType?.MediaType);
            Assert.Equal(OrderCauses.Placed, (await adminStream!.NextAsync<OrderStepEvent>()).Cause);
        }
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("-1")]
    public async Task A_Last_Event_ID_the_stream_never_sent_is_a_bad_request(string lastEventId)
    {
        using var client = Service.Client();
        var (response, stream) = await EventStream.OpenAsync(client, Path, OwnerToken, lastEventId);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(stream);
    }

    [Fact]
    public async Task A_closed_stream_leaves_no_watch_behind()
    {
        using var client = Service.Client();
        var (_, stream) = await EventStream.OpenAsync(client, Path, OwnerToken);
        await using (stream)
            await stream!.NextAsync();
        var watch = Service.Services.GetRequiredService<OrderChangeWatch>();

        await Eventually.HoldsAsync(() => watch.WatchedOrders == 0, "the stream's watch outlived it", timeoutSeconds: 20);
    }

    public async Task DisposeAsync()
    {
        if (_service is not null)
            await _service.DisposeAsync();
    }
}
