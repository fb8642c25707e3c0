using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderX.Notifications.Email;
using OrderX.Testing;

namespace OrderX.Notifications.Tests;

public sealed class EmailSenderTests : IDisposable
{
    private readonly string _mailDirectory = Directory.CreateTempSubdirectory("orderx-mail-").FullName;

    [Fact]
    public async Task With_an_smtp_host_configured_the_e_mail_is_sent_over_smtp_and_kept_as_eml()
    {
        using var smtp = new SmtpSink();
        var sender = new EmailSender(Options.Create(new EmailOptions
        {
            OutboxDirectory = _mailDirectory,
            SmtpHost = "127.0.0.1",
            SmtpPort = smtp.Port,
        }), NullLogger<EmailSender>.Instance);
        var id = Guid.NewGuid();

        await sender.SendAsync(new EmailMessage(id, "ada@example.com", "Your order is confirmed", "Thank you."), CancellationToken.None);

        var sent = await smtp.FirstMessage.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("To: ada@example.com", sent);
        Assert.Contains("Subject: Your order is confirmed", sent);
        Assert.Contains($"X-OrderX-Notification-Id: {id}", sent);
        Assert.Contains($"Message-ID: <{id}@orderx>", sent);
        Assert.Single(Directory.GetFiles(_mailDirectory, "*.eml"));
    }

    [Fact]
    public async Task Sending_one_notification_twice_leaves_one_eml_file_named_after_it_with_a_stable_message_id()
    {
        var sender = new EmailSender(Options.Create(new EmailOptions { OutboxDirectory = _mailDirectory }), NullLogger<EmailSender>.Instance);
        var message = new EmailMessage(Guid.NewGuid(), "ada@example.com", "Your order is confirmed", "Thank you.");

        await sender.SendAsync(message, CancellationToken.None);
        await sender.SendAsync(message, CancellationToken.None);

        var file = Assert.Single(Directory.GetFiles(_mailDirectory, "*.eml", SearchOption.AllDirectories));
        Assert.Equal($"{message.Id}.eml", Path.GetFileName(file));
        Assert.Contains($"Message-ID: <{message.Id}@orderx>", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task Many_e_mails_written_at_once_each_land_in_their_own_file()
    {
        var sender = new EmailSender(Options.Create(new EmailOptions { OutboxDirectory = _mailDirectory }), NullLogger<EmailSender>.Instance);
        var messages = Enumerable.Range(0, 40).Select(i => new EmailMessage(Guid.NewGuid(), "ada@example.com", $"Order {i}", $"Body {i}")).ToList();

        await Task.WhenAll(messages.Select(m => Task.Run(() => sender.SendAsync(m, CancellationToken.None))));
        await Task.WhenAll(messages.Take(10).Select(m => Task.Run(() => sender.SendAsync(m, CancellationToken.None))));

        var files = Directory.GetFiles(_mailDirectory, "*.eml", SearchOption.AllDirectories);
        Assert.Equal(messages.Select(m => $"{m.Id}.eml").Order(), files.Select(Path.GetFileName).Order());
        foreach (var message in messages)
            Assert.Contains($"Subject: {message.Subject}", await File.ReadAllTextAsync(Path.Combine(_mailDirectory, $"{message.Id}.eml")));
    }

    [Fact]
    public async Task An_unreachable_smtp_host_fails_the_send_so_the_message_is_retried()
    {
        var sender = new EmailSender(Options.Create(new EmailOptions { OutboxDirectory = _mailDirectory, SmtpHost = "127.0.0.1", SmtpPort = 1 }),
            NullLogger<EmailSender>.Instance);

        await Assert.ThrowsAnyAsync<Exception>(() =>
            sender.SendAsync(new EmailMessage(Guid.NewGuid(), "ada@example.com", "s", "b"), CancellationToken.None));
    }

    public void Dispose() => Directory.Delete(_mailDirectory, recursive: true);
}
