using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrderX.Notifications.Email;

/// <summary>Writes every e-mail as an .eml file (the demo's mailbox) and, when an SMTP host is configured, sends it.</summary>
public sealed partial class EmailSender(IOptions<EmailOptions> options, ILogger<EmailSender> logger) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var mail = new MailMessage(settings.From, message.To, message.Subject, message.Body);
        mail.Headers.Add("X-OrderX-Notification-Id", message.Id.ToString());

        if (settings.OutboxDirectory is { } directory)
        {
            Directory.CreateDirectory(directory);
            using var pickup = new SmtpClient { DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory, PickupDirectoryLocation = directory };
            await pickup.SendMailAsync(mail, cancellationToken);
        }
        if (!string.IsNullOrWhiteSpace(settings.SmtpHost))
        {
            using var smtp = new SmtpClient(settings.SmtpHost, settings.SmtpPort) { EnableSsl = settings.SmtpEnableSsl };
            if (settings.SmtpUserName is { } user)
                smtp.Credentials = new NetworkCredential(user, settings.SmtpPassword);
            await smtp.SendMailAsync(mail, cancellationToken);
        }
        LogSent(message.To, message.Subject);
    }

    [LoggerMessage(LogLevel.Debug, "E-mail sent to {To}: \"{Subject}\"")]
    private partial void LogSent(string to, string subject);
}
