using System.Diagnostics;
using System.Threading.RateLimiting;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace OrderX.Bench;

public sealed record BrokerFigures(double ConfirmedPublishesPerSecond, double ConsumeAcksPerSecond, string QueueType);

/// <summary>The broker's own ceiling here: persistent 300-byte publishes with confirms (a window of 256), then consume + ack.</summary>
public static class RabbitMqLimit
{
    private const int Window = 256;

    public static async Task<BrokerFigures> MeasureAsync(string host, double seconds, string queueType = "quorum")
    {
        var factory = new ConnectionFactory { HostName = host, ClientProvidedName = "orderx-bench-limits" };
        await using var connection = await factory.CreateConnectionAsync();
        var queue = $"orderx-bench-{Guid.NewGuid():N}";
        await using (var setup = await connection.CreateChannelAsync())
            await setup.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false,
                new Dictionary<string, object?> { ["x-queue-type"] = queueType });
        try
        {
            var published = await PublishAsync(connection, queue, seconds);
            var consumed = await ConsumeAsync(connection, queue, published.Count, seconds * 3);
            return new BrokerFigures(Math.Round(published.Rate, 0), Math.Round(consumed, 0), queueType);
        }
        finally
        {
            await using var cleanup = await connection.CreateChannelAsync();
            await cleanup.QueueDeleteAsync(queue);
        }
    }

    private static async Task<(long Count, double Rate)> PublishAsync(IConnection connection, string queue, double seconds)
    {
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true,
            outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(Window * 2)));
        var body = new byte[300];
        var properties = new BasicProperties { Persistent = true };
        var inFlight = new Queue<ValueTask>();
        var confirmed = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            inFlight.Enqueue(channel.BasicPublishAsync("", queue, mandatory: false, properties, body));
            if (inFlight.Count >= Window)
            {
                await inFlight.Dequeue();
                confirmed++;
            }
        }
        while (inFlight.Count > 0)
        {
            await inFlight.Dequeue();
            confirmed++;
        }
        return (confirmed, confirmed / clock.Elapsed.TotalSeconds);
    }

    private static async Task<double> ConsumeAsync(IConnection connection, string queue, long expected, double maxSeconds)
    {
        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, Window, false);
        var consumed = 0L;
        var done = new TaskCompletionSource();
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            if (Interlocked.Increment(ref consumed) >= expected)
                done.TrySetResult();
        };
        var clock = Stopwatch.StartNew();
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
        await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(maxSeconds)));
        return Interlocked.Read(ref consumed) / clock.Elapsed.TotalSeconds;
    }
}
