using System.Text;
using OrderX.Messaging.Transport;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace OrderX.Messaging.RabbitMQ;

/// <summary>
/// RabbitMQ's dead letters: a dead-letter queue beside each subscription's queue. A place is the subscription's queue;
/// a replay puts its dead letters back on that queue alone, through the default exchange.
/// </summary>
public sealed class DeadLetterQueues(RabbitMqOptions options) : IDeadLetterStore
{
    public static string DeadLetterQueue(string queue) => $"{queue}.dlq";

    public IReadOnlyList<string> PlacesOf(string service, IEnumerable<string> eventTypes) =>
        eventTypes.Select(eventType => $"{options.Exchange}.{new Subscription(service, eventType).QueueName}").ToList();

    public Task<long?> CountAsync(string queue, CancellationToken cancellationToken = default) => OnBrokerAsync(async connection =>
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        return (long?)(await channel.QueueDeclarePassiveAsync(DeadLetterQueue(queue), cancellationToken)).MessageCount;
    }, whenMissing: null, cancellationToken);

    /// <summary>Reads up to <paramref name="max"/> dead letters without removing them.</summary>
    public Task<IReadOnlyList<DeadLetterMessage>> PeekAsync(string queue, int max = 50, CancellationToken cancellationToken = default) => OnBrokerAsync(async connection =>
    {
        var messages = new List<DeadLetterMessage>();
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var countBefore = (await channel.QueueDeclarePassiveAsync(DeadLetterQueue(queue), cancellationToken)).MessageCount;
        ulong lastTag = 0;
        while (messages.Count < max && await channel.BasicGetAsync(DeadLetterQueue(queue), autoAck: false, cancellationToken) is { } message)
        {
            lastTag = message.DeliveryTag;
            var properties = message.BasicProperties;
            messages.Add(new DeadLetterMessage(
                properties.MessageId ?? "",
                properties.Type ?? "",
                Header(properties, "subject"),
                DeathReason(properties),
                Encoding.UTF8.GetString(message.Body.Span)));
        }
        if (lastTag != 0)
        {
            await channel.BasicNackAsync(lastTag, multiple: true, requeue: true, cancellationToken);
            await UntilCountIsBackAsync(channel, queue, countBefore, cancellationToken);
        }
        return (IReadOnlyList<DeadLetterMessage>)messages;
    }, whenMissing: [], cancellationToken);

    /// <summary>Moves every dead letter of <paramref name="queue"/> back onto it; returns how many moved.</summary>
    public Task<int> ReplayAsync(string queue, CancellationToken cancellationToken = default) => OnBrokerAsync(async connection =>
    {
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
        var moved = 0;
        while (await channel.BasicGetAsync(DeadLetterQueue(queue), autoAck: false, cancellationToken) is { } message)
        {
            var properties = new BasicProperties(message.BasicProperties) { Persistent = true };
            // The default exchange routes by queue name: straight back to the one subscription that failed. Acked only
            // once the copy is confirmed: a crash in between replays it twice, never loses it.
            await channel.BasicPublishAsync("", queue, mandatory: true, properties, message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            moved++;
        }
        return moved;
    }, whenMissing: 0, cancellationToken);

    public Task<int> DiscardAsync(string queue, CancellationToken cancellationToken = default) => OnBrokerAsync(async connection =>
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        return (int)await channel.QueuePurgeAsync(DeadLetterQueue(queue), cancellationToken);
    }, whenMissing: 0, cancellationToken);

    /// <summary>
    /// A quorum queue applies the peek's requeue after its Raft log commits it, while a count answers from the state
    /// already applied: without this wait, a count right after a peek can miss the messages just looked at. Bounded,
    /// because an operator replaying or discarding at the same moment can leave fewer for good.
    /// </summary>
    private static async Task UntilCountIsBackAsync(IChannel channel, string queue, uint countBefore, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while ((await channel.QueueDeclarePassiveAsync(DeadLetterQueue(queue), cancellationToken)).MessageCount < countBefore
               && DateTime.UtcNow < deadline)
            await Task.Delay(20, cancellationToken);
    }

    /// <summary>A dead-letter queue not declared yet (its service never started) holds nothing: <paramref name="whenMissing"/>.</summary>
    private async Task<T> OnBrokerAsync<T>(Func<IConnection, Task<T>> work, T whenMissing, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await RabbitMqConnections.Factory(options, "orderx-dead-letters").CreateConnectionAsync(cancellationToken);
            return await work(connection);
        }
        catch (OperationInterruptedException missing) when (missing.ShutdownReason?.ReplyCode == 404)
        {
            return whenMissing;
        }
        catch (Exception error) when (RabbitMqConnections.IsUnavailable(error))
        {
            throw new TransportUnavailableException($"RabbitMQ at {options.Host}:{options.Port}: {error.Message}", error);
        }
    }

    private static string? Header(IReadOnlyBasicProperties properties, string name) =>
        properties.Headers?.TryGetValue(name, out var value) == true && value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : null;

    private static string? DeathReason(IReadOnlyBasicProperties properties)
    {
        if (properties.Headers?.TryGetValue("x-death", out var deaths) != true || deaths is not IList<object> { Count: > 0 } list)
            return null;
        return list[0] is IDictionary<string, object?> death && death.TryGetValue("reason", out var reason) && reason is byte[] text
            ? Encoding.UTF8.GetString(text)
            : null;
    }
}
