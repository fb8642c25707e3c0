using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderX.Contracts;
using OrderX.Messaging.Outbox;
using OrderX.Payments.Data;
using OrderX.Payments.Domain;
using OrderX.Payments.IntegrationEvents;
using OrderX.Testing;

namespace OrderX.Payments.Tests;

public sealed class OrderCreatedHandlerTests : IDisposable
{
    private readonly SqliteTestDatabase<PaymentsDbContext> _database = new(o => new PaymentsDbContext(o));

    private async Task HandleAsync(OrderCreated order)
    {
        await using var db = _database.NewContext();
        var handler = new OrderCreatedHandler(db, new PaymentRule(Options.Create(new PaymentRuleOptions { DeclineAbove = 1000m })),
            TestOutbox.Writer("payment"), TimeProvider.System, NullLogger<OrderCreatedHandler>.Instance);
        var envelope = new EventEnvelope { Id = Guid.NewGuid(), Type = OrderCreated.EventType, Source = "order", Time = DateTimeOffset.UtcNow, Subject = order.OrderId.ToString(), Data = default };
        await handler.HandleAsync(order, envelope, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    private static OrderCreated Order(decimal total) =>
        new(Guid.NewGuid(), Guid.NewGuid(), "a@example.com", total, "EUR", [new OrderLine(Guid.NewGuid(), "Beans", 1, total)]);

    [Fact]
    public async Task An_approved_charge_stores_a_succeeded_payment_and_queues_payment_success()
    {
        var order = Order(49.80m);

        await HandleAsync(order);

        await using var db = _database.NewContext();
        var payment = await db.Payments.SingleAsync();
        Assert.Equal((order.OrderId, 49.80m, Payment.Succeeded), (payment.OrderId, payment.Amount, payment.Status));
        var row = await db.Set<OutboxMessage>().SingleAsync();
        Assert.Equal(PaymentSucceeded.EventType, row.Type);
        Assert.Contains(payment.Id.ToString(), row.Payload);
    }

    [Fact]
    public async Task A_declined_charge_stores_a_declined_payment_and_queues_payment_failed()
    {
        await HandleAsync(Order(1899m));

        await using var db = _database.NewContext();
        Assert.Equal(Payment.Declined, (await db.Payments.SingleAsync()).Status);
        Assert.Equal(PaymentFailed.EventType, (await db.Set<OutboxMessage>().SingleAsync()).Type);
    }

    [Fact]
    public async Task A_second_order_created_for_the_same_order_charges_nothing_more()
    {
        var order = Order(20m);

        await HandleAsync(order);
        await HandleAsync(order);

        await using var db = _database.NewContext();
        Assert.Equal(1, await db.Payments.CountAsync());
        Assert.Equal(1, await db.Set<OutboxMessage>().CountAsync());
    }

    [Fact]
    public async Task The_database_refuses_a_second_payment_row_for_one_order()
    {
        var orderId = Guid.NewGuid();
        await using var db = _database.NewContext();
        db.Payments.Add(new Payment { Id = Guid.NewGuid(), OrderId = orderId, Amount = 1, Currency = "EUR", Status = Payment.Succeeded });
        db.Payments.Add(new Payment { Id = Guid.NewGuid(), OrderId = orderId, Amount = 1, Currency = "EUR", Status = Payment.Succeeded });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    public void Dispose() => _database.Dispose();
}
