using OrderX.Contracts;
using OrderX.Messaging.Inbox;
using OrderX.Notifications.Data;

namespace OrderX.Notifications.IntegrationEvents;

/// <summary>
/// The notifications of every order a batch of order events names (their subject is the order's id), in one query:
/// the notifier (the batch's, on the batch's context) then asks the database about none of them on its own.
/// </summary>
public sealed class NotificationBatchPreloader(CustomerNotifier notifier) : IBatchPreloader<NotificationsDbContext>
{
    public Task PreloadAsync(NotificationsDbContext db, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        var orderIds = BatchSubjects.Ids(envelopes);
        return orderIds.Count == 0 ? Task.CompletedTask : notifier.PreloadAsync(orderIds, cancellationToken);
    }
}
