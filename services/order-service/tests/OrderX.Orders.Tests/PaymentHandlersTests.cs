using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using OrderX.Contracts;
using OrderX.Messaging.Outbox;
using OrderX.Orders.Data;
using OrderX.Orders.Domain;
using OrderX.Orders.IntegrationEvents;
using OrderX.Testing;

namespace OrderX.Orders.Tests;

public sealed class PaymentHandlersTests : IDisposable
{
    private readonly SqliteTestDatabase<OrdersDbContext> _database = new(o => new OrdersDbContext(o));
    private readonly Guid _orderId;

    public PaymentHandlersTests()
    {
        using var db = _database.NewContext();
        var order = Order.Place(Guid.NewGuid(), Guid.NewGuid(), "a@example.com",
            [new OrderItem { ProductId = Guid.NewGuid(), ProductName = "Beans", UnitPrice = 10m, Quantity = 1 }], DateTime.UtcNow);
        db.Orders.Add(order);
        db.SaveChanges();
        _orderId = order.Id;
    }

    private static EventEnvelope Envelope() => new()
    {
        Id = Guid.NewGuid(), Type = "test", Source = "test", Time = DateTimeOffset.UtcNow, Subject = "x", Data = default,
    };

    private async Task HandleSuccessAsync(Guid paymentId)
    {
        await using var db = _database.NewContext();
        var handler = new PaymentSucceededHandler(db, TestOutbox.Writer(), TimeProvider.System, NullLogger<PaymentSucceededHandler>.Instance);
        await handler.HandleAsync(new PaymentSucceeded(_orderId, paymentId, 10m, "EUR"), Envelope(), CancellationToken.None);
        await db.SaveChangesAsync();
    }

    private async Task HandleFailureAsync(Guid paymentId)
    {
        await using var db = _database.NewContext();
        var handler = new PaymentFailedHandler(db, TestOutbox.Writer(), TimeProvider.System, NullLogger<PaymentFailedHandler>.Instance);
        await handler.HandleAsync(new PaymentFailed(_orderId, paymentId, 10m, "EUR", "Card declined"), Envelope(), CancellationToken.None);
        await db.SaveChangesAsync();
    }

    private List<OutboxMessage> Outbox()
    {
        using var db = _database.NewContext();
        return db.Set<OutboxMessage>().AsNoTracking().ToList();
    }

    [Fact]
    public async Task Payment_success_marks_the_order_paid_and_queues_order_completed_in_the_same_commit()
    {
        await HandleSuccessAsync(Guid.NewGuid());

        await using var db = _database.NewContext();
        Assert.Equal(OrderStatus.Paid, (await db.Orders.SingleAsync()).Status);
        var row = Assert.Single(Outbox());
        Assert.Equal(EventTypes.OrderCompleted, row.Type);
        Assert.Equal(_orderId.ToString(), row.Subject);
    }

    [Fact]
    public async Task A_repeated_payment_success_queues_no_second_order_completed()
    {
        var paymentId = Guid.NewGuid();
        await HandleSuccessAsync(paymentId);
        await HandleSuccessAsync(paymentId);

        Assert.Single(Outbox());
    }

    [Fact]
    public async Task Payment_failure_marks_the_order_payment_failed_and_queues_order_cancelled_with_the_reason()
    {
        await HandleFailureAsync(Guid.NewGuid());

        await using var db = _database.NewContext();
        Assert.Equal(OrderStatus.PaymentFailed, (await db.Orders.SingleAsync()).Status);
        var row = Assert.Single(Outbox());
        Assert.Equal(EventTypes.OrderCancelled, row.Type);
        Assert.Contains("Card declined", row.Payload);
    }

    [Fact]
    public async Task A_failure_after_the_order_was_paid_changes_nothing_and_publishes_nothing()
    {
        await HandleSuccessAsync(Guid.NewGuid());
        await HandleFailureAsync(Guid.NewGuid());

        await using var db = _database.NewContext();
        Assert.Equal(OrderStatus.Paid, (await db.Orders.SingleAsync()).Status);
        Assert.Equal(EventTypes.OrderCompleted, Assert.Single(Outbox()).Type);
    }

    public void Dispose() => _database.Dispose();
}
