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

    private Task HandleAsync(OrderCreated order) => HandleBatchAsync(preload: false, order);

    // One unit of work, as a consumer batch: optionally the batch's preload, each order.created in turn, one save.
    private async Task HandleBatchAsync(bool preload, params OrderCreated[] orders)
    {
        await using var db = _database.NewContext();
        var charged = new ChargedOrders(db);
        if (preload)
            await charged.PreloadAsync([.. orders.Select(o => o.OrderId).Distinct()], CancellationToken.None);
        var handler = new OrderCreatedHandler(db, charged, new PaymentRule(Options.Create(new PaymentRuleOptions { DeclineAbove = 1000m })),
            TestOutbox.Writer("payment"), TimeProvider.System, NullLogger<OrderCreatedHandler>.Instance);
        foreach (var order in orders)
        {
            var envelope = new EventEnvelope { Id = Guid.NewGuid(), Type = OrderCreated.EventType, Source = "order", Time = DateTimeOffset.UtcNow, Subject = order.OrderId.ToString(), Data = default };
            await handler.HandleAsync(order, envelope, CancellationToken.None);
        }
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
    public async Task A_preloaded_batch_charges_an_order_named_twice_once_and_an_order_charged_before_not_again()
    {
        var chargedBefore = Order(20m);
        await HandleAsync(chargedBefore);
        var named = Order(30m);

        await HandleBatchAsync(preload: true, named, chargedBefore, named);

        await using var db = _database.NewContext();
        Assert.Equal([(chargedBefore.OrderId, 20m), (named.OrderId, 30m)],
            (await db.Payments.OrderBy(p => p.Amount).ToListAsync()).Select(p => (p.OrderId, p.Amount)));
        Assert.Equal(2, await db.Set<OutboxMessage>().CountAsync());
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
