using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderX.Messaging.Inbox;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Consumers;

/// <summary>
/// Subscribes every handler the service registered; the transport waits for its broker if needed.
/// A handler that fails because a dependency is down (its database, say) is retried here with back-off while
/// the message stays unacknowledged: an outage must not use up the delivery budget and dead-letter good messages.
/// </summary>
public sealed partial class ConsumerHost<TContext>(
    IEnumerable<EventSubscription> subscriptions,
    IMessageTransport transport,
    InboxDispatcher<TContext> dispatcher,
    ITransientFailureDetector transientFailures,
    IOptions<MessagingOptions> options,
    IOptions<TransientRetryOptions> retryOptions,
    TimeProvider clock,
    ILogger<ConsumerHost<TContext>> logger) : BackgroundService where TContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        // Every delivery of every queue goes through the lanes, which also bound how many are handled at once.
        var lanes = new ConsumerLanes(
            DispatchBatchAsync,
            DispatchAsync,
            (error, count) => LogBatchFailed(count, error.GetBaseException().Message),
            Math.Max(1, settings.ConsumerBatchSize),
            Math.Max(1, settings.ConsumerParallelBatches),
            settings.ConsumerBatchLinger,
            clock,
            stoppingToken);
        var queues = subscriptions.Select(s => (Subscription: s, Queue: new Subscription(settings.ServiceName, s.EventType))).ToList();
        foreach (var (subscription, queue) in queues)
            _queueNames[subscription.EventType] = queue.QueueName;
        foreach (var (subscription, queue) in queues)
        {
            await transport.SubscribeAsync(queue, (message, ct) => Enqueue(lanes, subscription, message, ct), stoppingToken);
            MessagingMetrics.Subscribed(queue.QueueName);
            LogSubscribed(queue.QueueName, transport.Name);
        }
        await SampleBacklogsAsync([.. queues.Select(q => q.Queue)], settings.BacklogSampleInterval, stoppingToken);
    }

    // For the queue-depth and consumer-lag gauges: a scrape reads the last sample instead of asking the broker itself.
    private async Task SampleBacklogsAsync(IReadOnlyList<Subscription> queues, TimeSpan interval, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var queue in queues)
            {
                try
                {
                    if (await transport.BacklogAsync(queue, stoppingToken) is { } backlog)
                        MessagingMetrics.ObserveWaiting(queue.QueueName, backlog);
                }
                catch (Exception error) when (!stoppingToken.IsCancellationRequested)
                {
                    LogBacklogNotSampled(queue.QueueName, error.GetBaseException().Message);
                }
            }
            await Task.Delay(interval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // Filled before the first subscription starts; read on every delivery, so no name is built per delivery.
    private readonly Dictionary<string, string> _queueNames = [];

    // A body that is not an envelope fails its delivery at once; the transport retries it, then dead-letters it.
    private static Task Enqueue(ConsumerLanes lanes, EventSubscription subscription, IncomingMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return lanes.HandleAsync(Delivery.Read(subscription, message), cancellationToken);
        }
        catch (Exception error)
        {
            return Task.FromException(error);
        }
    }

    private string QueueOf(EventSubscription subscription) => _queueNames[subscription.EventType];

    private async Task DispatchBatchAsync(IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        try
        {
            await dispatcher.DispatchBatchAsync(deliveries, cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another instance's handler changed one of the same rows (an order's payment and stock answers at once):
            // once more on fresh data usually settles it; if not, each delivery is handled on its own.
            LogConflict(deliveries[0].Envelope.Type, deliveries[0].Message.Id);
            MessagingMetrics.Retried(QueueOf(deliveries[0].Subscription), "conflict");
            await dispatcher.DispatchBatchAsync(deliveries, cancellationToken);
        }
        var took = clock.GetElapsedTime(started);
        // A batch mostly holds one event type: count each run of equal types once, without grouping.
        var runStart = 0;
        for (var i = 1; i <= deliveries.Count; i++)
        {
            if (i < deliveries.Count && deliveries[i].Subscription.EventType == deliveries[runStart].Subscription.EventType)
                continue;
            MessagingMetrics.Handled(QueueOf(deliveries[runStart].Subscription), i - runStart, took);
            runStart = i;
        }
    }

    private async Task DispatchAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var (subscription, message, _) = delivery;
        var retry = retryOptions.Value;
        var giveUpAt = clock.GetUtcNow() + retry.GiveUpAfter;
        var delay = retry.FirstDelay;
        var collisionRetried = false;
        var queue = QueueOf(subscription);
        var started = clock.GetTimestamp();
        while (true)
        {
            try
            {
                await dispatcher.DispatchAsync(delivery, cancellationToken);
                MessagingMetrics.Handled(queue, 1, clock.GetElapsedTime(started));
                return;
            }
            catch (DbUpdateConcurrencyException) when (clock.GetUtcNow() < giveUpAt && !cancellationToken.IsCancellationRequested)
            {
                // Another message changed the same row first (two events of one order at once): run again on fresh data.
                LogConflict(subscription.EventType, message.Id);
                MessagingMetrics.Retried(queue, "conflict");
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 20)), clock, cancellationToken);
            }
            catch (Exception error) when (transientFailures.IsTransient(error) && clock.GetUtcNow() < giveUpAt && !cancellationToken.IsCancellationRequested)
            {
                LogTransientFailure(subscription.EventType, message.Id, delay.TotalMilliseconds, error.GetBaseException().Message);
                MessagingMetrics.Retried(queue, "transient");
                await Task.Delay(delay, clock, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, retry.MaxDelay.Ticks));
            }
            catch (DbUpdateException error) when (!collisionRetried && !cancellationToken.IsCancellationRequested)
            {
                // Most often a concurrent handler inserted the same key first (an order's cancellation racing its
                // creation, say): once more on fresh data settles it. A lasting error goes on to the transport's redelivery.
                collisionRetried = true;
                LogCollision(subscription.EventType, message.Id, error.GetBaseException().Message);
                MessagingMetrics.Retried(queue, "collision");
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested)
            {
                // Given back to the transport, which redelivers it later or dead-letters it.
                MessagingMetrics.Handled(queue, 1, clock.GetElapsedTime(started), error);
                throw;
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "{Type} {MessageId}: a dependency failed ({Reason}); retrying in {DelayMs} ms without using up a delivery")]
    private partial void LogTransientFailure(string type, Guid messageId, double delayMs, string reason);

    [LoggerMessage(LogLevel.Debug, "{Type} {MessageId}: the row it changes was changed concurrently; handling it again")]
    private partial void LogConflict(string type, Guid messageId);

    [LoggerMessage(LogLevel.Information, "{Type} {MessageId}: the save collided with another write ({Reason}); handling it once more")]
    private partial void LogCollision(string type, Guid messageId, string reason);

    [LoggerMessage(LogLevel.Information, "A batch of {Count} deliveries failed ({Reason}); handling each on its own")]
    private partial void LogBatchFailed(int count, string reason);

    [LoggerMessage(LogLevel.Debug, "{Queue}: backlog not sampled ({Reason})")]
    private partial void LogBacklogNotSampled(string queue, string reason);

    [LoggerMessage(LogLevel.Information, "Consuming {Queue} on the {Transport} transport")]
    private partial void LogSubscribed(string queue, string transport);
}
