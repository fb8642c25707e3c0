using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using OrderX.Contracts;
using OrderX.Messaging.Outbox;
using OrderX.Payments.Data;
using OrderX.Payments.Domain;
using OrderX.Payments.IntegrationEvents;
using OrderX.Testing;

namespace OrderX.Payments.Tests;

public sealed class PaymentRefundHandlerTests : IDisposable
{
    private readonly SqliteTestDatabase<PaymentsDbContext> _database = new(o => new PaymentsDbContext(o));

    private Payment AddPayment(string status)
    {
        using var db = _database.NewContext();
        var payment = new Payment { Id = Guid.NewGuid(), OrderId = Guid.NewGuid(), Amount = 49.80m, Currency = "EUR", Status = status, CreatedAt = DateTime.UtcNow };
        db.Payments.Add(payment);
        db.SaveChanges();
        return payment;
    }

    private async Task RefundAsync(Payment payment)
    {
        await using var db = _database.NewContext();
        var handler = new PaymentRefundHandler(db, TestOutbox.Writer("payment"), TimeProvider.System, NullLogger<PaymentRefundHandler>.Instance);
        var envelope = new EventEnvelope { Id = Guid.NewGuid(), Type = PaymentRefund.EventType, Source = "order", Time = DateTimeOffset.UtcNow, Subject = "x", Data = default };
        await handler.HandleAsync(new PaymentRefund(payment.OrderId, payment.Id, Guid.NewGuid(), "a@example.com", "Out of stock"), envelope, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_succeeded_payment_is_refunded_once_and_payment_refunded_is_queued_once()
    {
        var payment = AddPayment(Payment.Succeeded);

        await RefundAsync(payment);
        await RefundAsync(payment);

        await using var db = _database.NewContext();
        var stored = await db.Payments.SingleAsync();
        Assert.Equal((Payment.Refunded, "Out of stock"), (stored.Status, stored.RefundReason));
        Assert.NotNull(stored.RefundedAt);
        var row = await db.Set<OutboxMessage>().SingleAsync();
        Assert.Equal(PaymentRefunded.EventType, row.Type);
        Assert.Contains("a@example.com", row.Payload);
    }

    [Fact]
    public async Task A_declined_payment_has_nothing_to_refund()
    {
        var payment = AddPayment(Payment.Declined);

        await RefundAsync(payment);

        await using var db = _database.NewContext();
        Assert.Equal(Payment.Declined, (await db.Payments.SingleAsync()).Status);
        Assert.Empty(db.Set<OutboxMessage>());
    }

    [Fact]
    public async Task A_refund_for_an_unknown_payment_fails_so_that_it_is_retried_then_dead_lettered() =>
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RefundAsync(new Payment { Id = Guid.NewGuid(), OrderId = Guid.NewGuid(), Currency = "EUR", Status = Payment.Succeeded }));

    public void Dispose() => _database.Dispose();
}
