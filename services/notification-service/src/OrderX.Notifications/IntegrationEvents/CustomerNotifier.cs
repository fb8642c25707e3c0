using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using OrderX.Contracts;
using OrderX.Messaging;
using OrderX.Messaging.Inbox;
using OrderX.Messaging.Outbox;
using OrderX.Notifications.Data;
using OrderX.Notifications.Email;

namespace OrderX.Notifications.IntegrationEvents;

/// <summary>Records a notification, e-mails it and tells the order service (notification.sent); one of each kind per order.</summary>
public sealed class CustomerNotifier(NotificationsDbContext db, IEmailSender email, OutboxWriter outbox, TimeProvider clock) : ISubjectStatePreload
{
    private readonly HashSet<Guid> _known = [];

    // Taken once and kept: every read of DbSet.Local first scans the whole context for changes, while the view itself
    // stays current with what the context tracks (ChargedOrders says what the profile measured).
    private LocalView<Notification>? _tracked;

    private LocalView<Notification> Tracked => _tracked ??= db.Notifications.Local;

    /// <summary>
    /// For a consumer batch: the notifications of all its orders in one query. The notifier then learns whether an order
    /// has one of a kind from the context, where a notification added earlier in the batch is seen too.
    /// </summary>
    public async Task PreloadAsync(IReadOnlyList<Guid> orderIds, CancellationToken cancellationToken)
    {
        await NotificationsOf.For(db)(db, orderIds).LoadAsync(cancellationToken);
        _known.UnionWith(orderIds);
    }

    public async Task NotifyAsync(Guid orderId, Guid userId, string to, string kind, string subject, string body, CancellationToken cancellationToken)
    {
        if (_known.Contains(orderId)
                ? Tracked.Any(n => n.OrderId == orderId && n.Kind == kind)
                : await AnyNotificationOf.For(db)(db, orderId, kind, cancellationToken))
            return;
        var notification = new Notification
        {
            Id = NotificationIds.For(orderId, kind),
            OrderId = orderId,
            UserId = userId,
            Email = to,
            Kind = kind,
            Subject = subject,
            Body = body,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Notifications.Add(notification);
        outbox.Add(db, new NotificationSent(orderId, notification.Id, kind, subject));
        // Sent before the commit: a crash in between repeats the e-mail on redelivery, never loses it. The repeat has
        // the same id, so it replaces the .eml file and carries the same Message-ID (NotificationIds).
        await email.SendAsync(new EmailMessage(notification.Id, to, subject, body), cancellationToken);
    }

    private static readonly CompiledPerModel<Func<NotificationsDbContext, IReadOnlyList<Guid>, IAsyncEnumerable<Notification>>> NotificationsOf = new(() => EF.CompileAsyncQuery(
        (NotificationsDbContext db, IReadOnlyList<Guid> orderIds) => db.Notifications.Where(n => orderIds.Contains(n.OrderId))));

    private static readonly CompiledPerModel<Func<NotificationsDbContext, Guid, string, CancellationToken, Task<bool>>> AnyNotificationOf = new(() => EF.CompileAsyncQuery(
        (NotificationsDbContext db, Guid orderId, string kind, CancellationToken _) => db.Notifications.Any(n => n.OrderId == orderId && n.Kind == kind)));
}
