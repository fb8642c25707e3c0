namespace OrderX.Notifications.Email;

public sealed record EmailMessage(Guid Id, string To, string Subject, string Body);

public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
