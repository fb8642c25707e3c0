using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderX.Contracts;
using OrderX.Messaging;
using OrderX.Messaging.Inbox;
using OrderX.Messaging.Outbox;
using OrderX.Notifications.Data;
using OrderX.Notifications.Email;
using OrderX.Notifications.IntegrationEvents;
using OrderX.Testing;

namespace OrderX.Notifications.Tests;

/// <summary>A consumer batch's notifications are read in one query, and the notifier then decides from the context.</summary>
public sealed class NotificationBatchPreloaderTests : IDisposable
{
    private readonly SelectCounter _queries = new("notifications");
    private readonly SqliteTestDatabase<NotificationsDbContext> _database;
    private readonly string _mailDirectory = Directory.CreateTempSubdirectory("orderx-mail-").FullName;

    public NotificationBatchPreloaderTests() =>
        _database = new(o => new NotificationsDbContext(new DbContextOptionsBuilder<NotificationsDbContext>(o).AddInterceptors(_queries).Options));

    [Fact]
    public async Task A_batch_for_three_orders_one_notified_before_reads_the_notifications_in_one_query_and_mails_the_others_once()
    {
        var (before, first, second) = (Completed(), Completed(), Completed());
        await InBatchAsync([before.OrderId], notifier => new OrderCompletedHandler(notifier).HandleAsync(before, Envelope(before.OrderId), default));
        _queries.Reset();

        await InBatchAsync([before.OrderId, first.OrderId, second.OrderId], async notifier =>
        {
            foreach (var completed in new[] { before, first, second })
                await new OrderCompletedHandler(notifier).HandleAsync(completed, Envelope(completed.OrderId), default);
        });

        Assert.Equal(1, _queries.Count);
        await using var db = _database.NewContext();
        Assert.Equal(new[] { before.OrderId, first.OrderId, second.OrderId }.Order(), db.Notifications.Select(n => n.OrderId).AsEnumerable().Order());
        Assert.Equal(3, Directory.GetFiles(_mailDirectory, "*.eml").Length);
        Assert.Equal(3, db.Set<OutboxMessage>().Count());
    }

    [Fact]
    public async Task A_second_completion_of_an_order_in_the_same_batch_sends_nothing_more_and_a_refund_still_goes()
    {
        var completed = Completed();
        var refunded = new PaymentRefunded(completed.OrderId, Guid.NewGuid(), completed.UserId, completed.CustomerEmail, 10m, "EUR");

        await InBatchAsync([completed.OrderId], async notifier =>
        {
            await new OrderCompletedHandler(notifier).HandleAsync(completed, Envelope(completed.OrderId), default);
            await new OrderCompletedHandler(notifier).HandleAsync(completed, Envelope(completed.OrderId), default);
            await new PaymentRefundedHandler(notifier).HandleAsync(refunded, Envelope(completed.OrderId), default);
        });

        await using var db = _database.NewContext();
        Assert.Equal([NotificationKinds.OrderCompleted, NotificationKinds.PaymentRefunded], db.Notifications.Select(n => n.Kind).AsEnumerable().Order());
        Assert.Equal(2, Directory.GetFiles(_mailDirectory, "*.eml").Length);
    }

    /// <summary>One unit of work as the inbox dispatcher runs a batch: preload, the handlers, save.</summary>
    private async Task InBatchAsync(IReadOnlyList<Guid> orderIds, Func<CustomerNotifier, Task> handlers)
    {
        await using var db = _database.NewContext();
        var notifier = new CustomerNotifier(db,
            new EmailSender(Options.Create(new EmailOptions { OutboxDirectory = _mailDirectory }), NullLogger<EmailSender>.Instance),
            new OutboxWriter(Options.Create(new MessagingOptions { ServiceName = "notification" }), TimeProvider.System), TimeProvider.System);
        await new SubjectBatchPreloader<NotificationsDbContext, CustomerNotifier>(notifier).PreloadAsync(db, orderIds.Select(Envelope).ToList(), default);
        await handlers(notifier);
        await db.SaveChangesAsync();
    }

    private static OrderCompleted Completed() => new(Guid.NewGuid(), Guid.NewGuid(), "ada@example.com", 10m, "EUR");

    private static EventEnvelope Envelope(Guid orderId) => new()
    {
        Id = Guid.NewGuid(), Type = OrderCompleted.EventType, Source = "order", Time = DateTimeOffset.UtcNow, Subject = orderId.ToString(), Data = default,
    };

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_mailDirectory, recursive: true);
    }
}
