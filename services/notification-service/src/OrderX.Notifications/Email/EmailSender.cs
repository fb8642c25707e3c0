using System.Collections.Concurrent;
using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrderX.Notifications.Email;

/// <summary>Writes every e-mail as an .eml file (the demo's mailbox) and, when an SMTP host is configured, sends it.</summary>
public sealed partial class EmailSender(IOptions<EmailOptions> options, ILogger<EmailSender> logger) : IEmailSender
{
    // Scratch folders, each used by one send at a time and kept for the next: creating and deleting a folder per
    // e-mail was ~8% of the notification service's CPU under load (the benchmark's profile).
    private readonly ConcurrentBag<(string Directory, string Scratch)> _idleScratchFolders = [];

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var mail = new MailMessage(settings.From, message.To, message.Subject, message.Body);
        mail.Headers.Add("X-OrderX-Notification-Id", message.Id.ToString());
        // Stable across repeats of one notification, so a receiver can keep one copy.
        mail.Headers.Add("Message-ID", $"<{message.Id}@orderx>");

        if (settings.OutboxDirectory is { } directory)
            await WriteEmlAsync(mail, directory, message.Id, cancellationToken);
        if (!string.IsNullOrWhiteSpace(settings.SmtpHost))
        {
            using var smtp = new SmtpClient(settings.SmtpHost, settings.SmtpPort) { EnableSsl = settings.SmtpEnableSsl };
            if (settings.SmtpUserName is { } user)
                smtp.Credentials = new NetworkCredential(user, settings.SmtpPassword);
            await smtp.SendMailAsync(mail, cancellationToken);
        }
        LogSent(message.To, message.Subject);
    }

    /// <summary>
    /// The pickup client names its file at random: written in a scratch folder, then renamed after the notification,
    /// a repeated send replaces the file instead of adding a second one.
    /// </summary>
    private async Task WriteEmlAsync(MailMessage mail, string directory, Guid id, CancellationToken cancellationToken)
    {
        var scratch = TakeScratchFolder(directory);
        try
        {
            using (var pickup = new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = scratch })
                await pickup.SendMailAsync(mail, cancellationToken);
            File.Move(Directory.GetFiles(scratch, "*.eml").Single(), Path.Combine(directory, $"{id}.eml"), overwrite: true);
            _idleScratchFolders.Add((directory, scratch));
        }
        catch
        {
            // Whatever a failed write left behind must not be taken for the next e-mail.
            Directory.Delete(scratch, recursive: true);
            throw;
        }
    }

    private string TakeScratchFolder(string directory)
    {
        while (_idleScratchFolders.TryTake(out var idle))
        {
            if (idle.Directory == directory && Directory.Exists(idle.Scratch))
                return idle.Scratch;
        }
        return Directory.CreateDirectory(Path.Combine(directory, ".writing", Guid.NewGuid().ToString("N"))).FullName;
    }

    [LoggerMessage(LogLevel.Debug, "E-mail sent to {To}: \"{Subject}\"")]
    private partial void LogSent(string to, string subject);
}
