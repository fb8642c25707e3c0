using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Inbox;

/// <summary>Subscribes every handler the service registered; the transport waits for its broker if needed.</summary>
public sealed partial class ConsumerHost<TContext>(
    IEnumerable<EventSubscription> subscriptions,
    IMessageTransport transport,
    InboxDispatcher<TContext> dispatcher,
    IOptions<MessagingOptions> options,
    ILogger<ConsumerHost<TContext>> logger) : BackgroundService where TContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var subscription in subscriptions)
        {
            var queue = new Subscription(options.Value.ServiceName, subscription.EventType);
            await transport.SubscribeAsync(queue, (message, ct) => dispatcher.DispatchAsync(subscription, message, ct), stoppingToken);
            LogSubscribed(queue.QueueName, transport.Name);
        }
    }

    [LoggerMessage(LogLevel.Information, "Consuming {Queue} on the {Transport} transport")]
    private partial void LogSubscribed(string queue, string transport);
}
