using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderX.Contracts;
using OrderX.Messaging;
using OrderX.Messaging.Outbox;
using OrderX.Notifications.Data;
using OrderX.Notifications.Email;
using OrderX.Notifications.IntegrationEvents;
using OrderX.Testing;

namespace OrderX.Notifications.Tests;

public sealed class CustomerNotifierTests : IDisposable
{
    private readonly SqliteTestDatabase<NotificationsDbContext> _database = new(o => new NotificationsDbContext(o));
    private readonly string _mailDirectory = Directory.CreateTempSubdirectory("orderx-mail-").FullName;

    private async Task CompleteAsync(OrderCompleted completed)
    {
        await using var db = _database.NewContext();
        var handler = new OrderCompletedHandler(Notifier(db));
        var envelope = new EventEnvelope { Id = Guid.NewGuid(), Type = OrderCompleted.EventType, Source = "order", Time = DateTimeOffset.UtcNow, Subject = "x", Data = default };
        await handler.HandleAsync(completed, envelope, CancellationToken.None);
        await db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_completed_order_is_stored_and_written_as_an_eml_file_to_the_customer()
    {
        var completed = new OrderCompleted(Guid.NewGuid(), Guid.NewGuid(), "ada@example.com", 49.80m, "EUR");

        await CompleteAsync(completed);

        await using var db = _database.NewContext();
        var notification = Assert.Single(db.Notifications);
        Assert.Equal(NotificationKinds.OrderCompleted, notification.Kind);
        Assert.Contains("49.80 EUR", notification.Body);
        var eml = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(_mailDirectory, "*.eml")));
        Assert.Contains("To: ada@example.com", eml);
        Assert.Contains(notification.Id.ToString(), eml);
    }

    [Fact]
    public async Task Each_e_mail_sent_queues_notification_sent_for_the_order_in_the_same_commit_once()
    {
        var completed = new OrderCompleted(Guid.NewGuid(), Guid.NewGuid(), "ada@example.com", 10m, "EUR");

        await CompleteAsync(completed);
        await CompleteAsync(completed);

        await using var db = _database.NewContext();
        var notification = Assert.Single(db.Notifications);
        var row = Assert.Single(db.Set<OutboxMessage>());
        Assert.Equal(NotificationSent.EventType, row.Type);
        var sent = JsonSerializer.Deserialize<EventEnvelope>(row.Payload, ContractJson.Options)!.Data.Deserialize<NotificationSent>(ContractJson.Options);
        Assert.Equal(new NotificationSent(completed.OrderId, notification.Id, NotificationKinds.OrderCompleted, notification.Subject), sent);
    }

    [Fact]
    public async Task A_second_completion_event_for_the_same_order_sends_nothing_more()
    {
        var completed = new OrderCompleted(Guid.NewGuid(), Guid.NewGuid(), "ada@example.com", 10m, "EUR");

        await CompleteAsync(completed);
        await CompleteAsync(completed);

        await using var db = _database.NewContext();
        Assert.Single(db.Notifications);
        Assert.Single(Directory.GetFiles(_mailDirectory, "*.eml"));
    }

    [Fact]
    public async Task A_redelivery_after_a_crash_before_the_commit_writes_the_same_e_mail_again_not_a_second_one()
    {
        var completed = new OrderCompleted(Guid.NewGuid(), Guid.NewGuid(), "ada@example.com", 10m, "EUR");
        // The first delivery sent its e-mail and died before its commit: nothing of it is in the database.
        await using (var crashed = _database.NewContext())
            await new OrderCompletedHandler(Notifier(crashed)).HandleAsync(completed, Envelope(OrderCompleted.EventType), CancellationToken.None);

        await CompleteAsync(completed);

        await using var db = _database.NewContext();
        var notification = Assert.Single(db.Notifications);
        var file = Assert.Single(Directory.GetFiles(_mailDirectory, "*.eml"));
        Assert.Equal($"{notification.Id}.eml", Path.GetFileName(file));
    }

    [Theory]
    [InlineData(CancellationReasons.PaymentDeclined, NotificationKinds.PaymentDeclined, "declined")]
    [InlineData(CancellationReasons.OutOfStock, NotificationKinds.OutOfStock, "out of stock")]
    [InlineData(CancellationReasons.Timeout, NotificationKinds.OrderCancelled, "cancelled")]
    [InlineData(CancellationReasons.CustomerRequest, NotificationKinds.OrderCancelled, "cancelled")]
    public async Task A_cancellation_tells_the_customer_what_happened_and_why(string reasonCode, string kind, string inSubject)
    {
        var cancelled = new OrderCancelled(Guid.NewGuid(), Guid.NewGuid(), "ada@example.com", reasonCode, "The reason.");

        await using (var db = _database.NewContext())
        {
            await new OrderCancelledHandler(Notifier(db)).HandleAsync(cancelled, Envelope(OrderCancelled.EventType), CancellationToken.None);
            await db.SaveChangesAsync();
        }

        await using var check = _database.NewContext();
        var notification = Assert.Single(check.Notifications);
        Assert.Equal(kind, notification.Kind);
        Assert.Contains(inSubject, notification.Subject);
        Assert.Contains("The reason.", notification.Body);
    }

    [Fact]
    public async Task A_refund_is_announced_with_its_amount_besides_the_cancellation()
    {
        var orderId = Guid.NewGuid();
        await using (var db = _database.NewContext())
        {
            await new OrderCancelledHandler(Notifier(db)).HandleAsync(
                new OrderCancelled(orderId, Guid.NewGuid(), "ada@example.com", CancellationReasons.OutOfStock, "None left."),
                Envelope(OrderCancelled.EventType), CancellationToken.None);
            await new PaymentRefundedHandler(Notifier(db)).HandleAsync(
                new PaymentRefunded(orderId, Guid.NewGuid(), Guid.NewGuid(), "ada@example.com", 49.80m, "EUR"),
                Envelope(PaymentRefunded.EventType), CancellationToken.None);
            await db.SaveChangesAsync();
        }

        await using var check = _database.NewContext();
        Assert.Equal([NotificationKinds.OutOfStock, NotificationKinds.PaymentRefunded], check.Notifications.Select(n => n.Kind).Order().ToList());
        Assert.Contains("49.80 EUR", check.Notifications.Single(n => n.Kind == NotificationKinds.PaymentRefunded).Body);
        Assert.Equal(2, Directory.GetFiles(_mailDirectory, "*.eml").Length);
    }

    private CustomerNotifier Notifier(NotificationsDbContext db) =>
        new(db, new EmailSender(Options.Create(new EmailOptions { OutboxDirectory = _mailDirectory }), NullLogger<EmailSender>.Instance),
            new OutboxWriter(Options.Create(new MessagingOptions { ServiceName = "notification" }), TimeProvider.System), TimeProvider.System);

    private static EventEnvelope Envelope(string type) =>
        new() { Id = Guid.NewGuid(), Type = type, Source = "order", Time = DateTimeOffset.UtcNow, Subject = "x", Data = default };

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_mailDirectory, recursive: true);
    }
}
