using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using OrderX.Contracts;
using OrderX.Messaging.Consumers;
using OrderX.Messaging.Outbox;
using OrderX.Orders.Data;
using OrderX.Orders.Domain;
using OrderX.Orders.IntegrationEvents;
using OrderX.Orders.Saga;
using OrderX.Testing;

namespace OrderX.Orders.Tests;

/// <summary>The consumers against a real (SQLite) database: state, history and outbox commit together.</summary>
public sealed class SagaHandlersTests : IDisposable
{
    private readonly SqliteTestDatabase<OrdersDbContext> _database = new(o => new OrdersDbContext(o));
    private readonly Guid _orderId;
    private readonly Guid _paymentId = Guid.NewGuid();

    public SagaHandlersTests()
    {
        using var db = _database.NewContext();
        var order = Order.Place(Guid.NewGuid(), Guid.NewGuid(), "a@example.com",
            [new OrderItem { ProductId = Guid.NewGuid(), ProductName = "Beans", UnitPrice = 10m, Quantity = 1 }], DateTime.UtcNow);
        db.Orders.Add(order);
        db.SaveChanges();
        _orderId = order.Id;
    }

    private static EventEnvelope Envelope(string type) => new()
    {
        Id = Guid.NewGuid(), Type = type, Source = "test", Time = DateTimeOffset.UtcNow, Subject = "x", Data = default,
    };

    /// <summary>Runs a handler the way the inbox dispatcher does: the handler changes, the dispatcher saves.</summary>
    private async Task HandleAsync<TEvent>(Func<OrderSaga, IIntegrationEventHandler<TEvent>> handler, TEvent @event, string type)
        where TEvent : IIntegrationEvent
    {
        await using var db = _database.NewContext();
        var saga = new OrderSaga(db, TestOutbox.Writer(), TimeProvider.System, NullLogger<OrderSaga>.Instance);
        await handler(saga).HandleAsync(@event, Envelope(type), CancellationToken.None);
        await db.SaveChangesAsync();
    }

    private Task PaymentSucceededAsync() =>
        HandleAsync(s => new PaymentSucceededHandler(s), new PaymentSucceeded(_orderId, _paymentId, 10m, "EUR"), PaymentSucceeded.EventType);

    private Task StockReservedAsync() =>
        HandleAsync(s => new StockReservedHandler(s), new StockReserved(_orderId, []), StockReserved.EventType);

    private Task StockRejectedAsync() =>
        HandleAsync(s => new StockRejectedHandler(s),
            new StockRejected(_orderId, [new StockShortage(Guid.NewGuid(), 1, 0, "Only 0 of Beans left; 1 requested.")]), StockRejected.EventType);

    private List<OutboxMessage> Outbox()
    {
        using var db = _database.NewContext();
        return db.Set<OutboxMessage>().AsNoTracking().OrderBy(m => m.CreatedAt).ToList();
    }

    private Order Stored()
    {
        using var db = _database.NewContext();
        return db.Orders.AsNoTracking().Include(o => o.History).Single();
    }

    [Fact]
    public async Task Payment_then_reservation_marks_the_order_paid_and_queues_order_completed_once()
    {
        await PaymentSucceededAsync();
        Assert.Empty(Outbox());

        await StockReservedAsync();
        await StockReservedAsync();

        Assert.Equal(OrderStatus.Paid, Stored().Status);
        var row = Assert.Single(Outbox());
        Assert.Equal((OrderCompleted.EventType, _orderId.ToString()), (row.Type, row.Subject));
    }

    [Fact]
    public async Task Rejected_stock_after_a_payment_queues_order_cancelled_and_the_refund_with_the_payment_id()
    {
        await PaymentSucceededAsync();
        await StockRejectedAsync();

        var order = Stored();
        Assert.Equal((OrderStatus.Cancelled, PaymentState.RefundRequested), (order.Status, order.PaymentStatus));
        Assert.Equal([OrderCancelled.EventType, PaymentRefund.EventType], Outbox().Select(m => m.Type).Order().ToList());
        var refund = Outbox().Single(m => m.Type == PaymentRefund.EventType);
        Assert.Contains(_paymentId.ToString(), refund.Payload);
        Assert.Contains("out_of_stock", Outbox().Single(m => m.Type == OrderCancelled.EventType).Payload);
    }

    [Fact]
    public async Task The_history_is_stored_with_every_step()
    {
        await StockReservedAsync();
        await PaymentSucceededAsync();

        Assert.Equal([OrderCauses.Placed, StockReserved.EventType, PaymentSucceeded.EventType],
            Stored().History.OrderBy(h => h.Id).Select(h => h.Cause).ToList());
    }

    [Fact]
    public async Task An_answer_for_an_unknown_order_fails_so_that_the_transport_retries_it()
    {
        await using var db = _database.NewContext();
        var saga = new OrderSaga(db, TestOutbox.Writer(), TimeProvider.System, NullLogger<OrderSaga>.Instance);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new StockReservedHandler(saga).HandleAsync(new StockReserved(Guid.NewGuid(), []), Envelope(StockReserved.EventType), CancellationToken.None));
    }

    public void Dispose() => _database.Dispose();
}
