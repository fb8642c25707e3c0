using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderX.Contracts;
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
        var sender = new EmailSender(Options.Create(new EmailOptions { OutboxDirectory = _mailDirectory }), NullLogger<EmailSender>.Instance);
        var handler = new OrderCompletedHandler(new CustomerNotifier(db, sender, TimeProvider.System));
        var envelope = new EventEnvelope { Id = Guid.NewGuid(), Type = EventTypes.OrderCompleted, Source = "order", Time = DateTimeOffset.UtcNow, Subject = "x", Data = default };
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
        Assert.Equal(OrderCompletedHandler.Kind, notification.Kind);
        Assert.Contains("49.80 EUR", notification.Body);
        var eml = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(_mailDirectory, "*.eml")));
        Assert.Contains("To: ada@example.com", eml);
        Assert.Contains(notification.Id.ToString(), eml);
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

    public void Dispose()
    {
        _database.Dispose();
        Directory.Delete(_mailDirectory, recursive: true);
    }
}
