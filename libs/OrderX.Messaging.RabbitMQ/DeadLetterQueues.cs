using System.Text;
using RabbitMQ.Client;

namespace OrderX.Messaging.RabbitMQ;

public sealed record DeadLetteredMessage(string MessageId, string Type, string? Subject, string? Reason, string Body);

/// <summary>
/// What an operator does with dead-lettered messages: look at them, and once the fault is fixed, put them back
/// on the queue they failed on (only that subscription; other services that already handled the event are
/// not bothered again). Inboxes make a replay of an already-applied message harmless.
/// </summary>
public sealed class DeadLetterQueues(RabbitMqOptions options)
{
    public static string DeadLetterQueue(string queue) => $"{queue}.dlq";

    public async Task<uint> CountAsync(string queue, CancellationToken cancellationToken = default)
    {
        await using var connection = await Factory().CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        return (await channel.QueueDeclarePassiveAsync(DeadLetterQueue(queue), cancellationToken)).MessageCount;
    }

    /// <summary>Reads up to <paramref name="max"/> dead letters without removing them.</summary>
    public async Task<IReadOnlyList<DeadLetteredMessage>> PeekAsync(string queue, int max = 50, CancellationToken cancellationToken = default)
    {
        await using var connection = await Factory().CreateConnectionAsync(cancellationToken);
        var messages = new List<DeadLetteredMessage>();
        // Unacknowledged gets return to the queue when the channel closes.
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        while (messages.Count < max && await channel.BasicGetAsync(DeadLetterQueue(queue), autoAck: false, cancellationToken) is { } message)
        {
            var properties = message.BasicProperties;
            messages.Add(new DeadLetteredMessage(
                properties.MessageId ?? "",
                properties.Type ?? "",
                Header(properties, "subject"),
                DeathReason(properties),
                Encoding.UTF8.GetString(message.Body.Span)));
        }
        return messages;
    }

    /// <summary>Moves every dead letter of <paramref name="queue"/> back onto it; returns how many moved.</summary>
    public async Task<int> ReplayAsync(string queue, CancellationToken cancellationToken = default)
    {
        await using var connection = await Factory().CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
        var moved = 0;
        while (await channel.BasicGetAsync(DeadLetterQueue(queue), autoAck: false, cancellationToken) is { } message)
        {
            var properties = new BasicProperties(message.BasicProperties) { Persistent = true };
            // The default exchange routes by queue name: straight back to the one subscription that failed.
            await channel.BasicPublishAsync("", queue, mandatory: true, properties, message.Body, cancellationToken);
            await channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
            moved++;
        }
        return moved;
    }

    private ConnectionFactory Factory() => new()
    {
        HostName = options.Host,
        Port = options.Port,
        UserName = options.UserName,
        Password = options.Password,
        VirtualHost = options.VirtualHost,
        ClientProvidedName = "orderx-dead-letters",
    };

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
