using Microsoft.EntityFrameworkCore;
using OrderX.Notifications.Data;
using OrderX.Notifications.Email;

namespace OrderX.Notifications.IntegrationEvents;

/// <summary>Records a notification and e-mails it; one of each kind per order.</summary>
public sealed class CustomerNotifier(NotificationsDbContext db, IEmailSender email, TimeProvider clock)
{
    public async Task NotifyAsync(Guid orderId, Guid userId, string to, string kind, string subject, string body, CancellationToken cancellationToken)
    {
        if (await db.Notifications.AnyAsync(n => n.OrderId == orderId && n.Kind == kind, cancellationToken))
            return;
        var notification = new Notification
        {
            Id = Guid.CreateVersion7(),
            OrderId = orderId,
            UserId = userId,
            Email = to,
            Kind = kind,
            Subject = subject,
            Body = body,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Notifications.Add(notification);
        // Sent before the commit: a crash in between repeats the e-mail on redelivery (at-least-once), never loses it.
        await email.SendAsync(new EmailMessage(notification.Id, to, subject, body), cancellationToken);
    }
}
