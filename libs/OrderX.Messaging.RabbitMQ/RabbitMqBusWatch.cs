using System.Text;
using System.Threading.Channels;
using OrderX.Messaging.Transport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace OrderX.Messaging.RabbitMQ;

/// <summary>
/// Watches the exchange through a queue of the watcher's own: server-named, exclusive to its connection (it goes when
/// the watcher does), bound to the watched event types only, and capped, dropping its oldest, so a slow watcher costs
/// the broker little. It makes no event routable that was not: every OrderX event has its subscriptions' queues.
/// </summary>
public sealed class RabbitMqBusWatch(RabbitMqOptions options) : IBusWatch
{
    public async Task<BusWatcher> StartAsync(IReadOnlyCollection<string> eventTypes, CancellationToken cancellationToken)
    {
        var seen = BusWatcher.NewBuffer();
        var connection = await OpenAsync(eventTypes, seen.Writer, cancellationToken);
        return new BusWatcher(seen.Reader, async () =>
        {
            seen.Writer.TryComplete();
            // Closing waits for the broker's answer; a watch that ends must not wait for ever.
            await connection.CloseAsync(TimeSpan.FromSeconds(10));
            await connection.DisposeAsync();
        });
    }
    private async Task<IConnection> OpenAsync(IReadOnlyCollection<string> eventTypes, ChannelWriter<TransportMessage> seen, CancellationToken cancellationToken)
    {
        IConnection? connection = null;
        try
        {
            connection = await RabbitMqConnections.Factory(options, "orderx-bus-watch").CreateConnectionAsync(cancellationToken);
            var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true,
                new Dictionary<string, object?> { ["x-max-length"] = BusWatcher.Buffer, ["x-overflow"] = "drop-head" }, cancellationToken: cancellationToken)).QueueName;
            foreach (var eventType in eventTypes)
                await channel.QueueBindAsync(queue, options.Exchange, eventType, cancellationToken: cancellationToken);
            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) =>
            {
                var properties = delivery.BasicProperties;
                var subject = properties.Headers?.TryGetValue("subject", out var value) == true && value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : "";
                seen.TryWrite(new TransportMessage(Guid.TryParse(properties.MessageId, out var id) ? id : Guid.Empty,
                    properties.Type ?? delivery.RoutingKey, subject, delivery.Body.ToArray()));
                return Task.CompletedTask;
            };
            channel.ChannelShutdownAsync += (_, reason) =>
            {
                seen.TryComplete(reason.Initiator == ShutdownInitiator.Application ? null
                    : new TransportUnavailableException($"RabbitMQ at {options.Host}:{options.Port} closed the watch: {reason.ReplyText}"));
                return Task.CompletedTask;
            };
            await channel.BasicConsumeAsync(queue, autoAck: true, consumer, cancellationToken);
            return connection;
        }
        catch (Exception error) when (RabbitMqConnections.IsUnavailable(error))
        {
            if (connection is not null)
                await connection.DisposeAsync();
            throw new TransportUnavailableException($"RabbitMQ at {options.Host}:{options.Port}: {error.Message}", error);
        }
    }
}
