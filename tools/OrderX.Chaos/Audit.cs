using Npgsql;
using OrderX.Messaging.Kafka;
using OrderX.Messaging.RabbitMQ;
using OrderX.ServiceData;
using RabbitMQ.Client;

namespace OrderX.Chaos;

public sealed record AuditedOrder(Guid Id, string Status, string? CancelReason);

/// <summary>What the databases, the mailbox and the broker hold once the run has settled.</summary>
public sealed class Audit
{
    public required IReadOnlyDictionary<Guid, AuditedOrder> Orders { get; init; }
    /// <summary>Payment status per order (the payments table allows one row per order).</summary>
    public required IReadOnlyDictionary<Guid, string> Payments { get; init; }
    public required IReadOnlyDictionary<Guid, string> Reservations { get; init; }
    public required IReadOnlyList<(Guid Id, Guid OrderId, string Kind)> Notifications { get; init; }
    public required IReadOnlySet<Guid> EmailFiles { get; init; }
    public required IReadOnlyDictionary<Guid, (int Stock, int Reserved)> Stock { get; init; }
    public required IReadOnlyDictionary<string, long> UnsentOutbox { get; init; }
    /// <summary>Messages waiting per queue (RabbitMQ only) and dead letters per queue or consumer group.</summary>
    public required IReadOnlyDictionary<string, long> Waiting { get; init; }
    public required IReadOnlyDictionary<string, long> DeadLetters { get; init; }

    public int Pending => Orders.Values.Count(o => o.Status == "pending");

    public static async Task<Audit> TakeAsync(ChaosOptions options, ChaosDeployment deployment)
    {
        var orders = new Dictionary<Guid, AuditedOrder>();
        await ReadAsync(options, "order", """SELECT "Id", "Status", "CancelReason" FROM orders""",
            r => orders[r.GetGuid(0)] = new AuditedOrder(r.GetGuid(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2)));
        var payments = new Dictionary<Guid, string>();
        await ReadAsync(options, "payment", """SELECT "OrderId", "Status" FROM payments""", r => payments[r.GetGuid(0)] = r.GetString(1));
        var reservations = new Dictionary<Guid, string>();
        await ReadAsync(options, "product", """SELECT "OrderId", "Status" FROM stock_reservations""", r => reservations[r.GetGuid(0)] = r.GetString(1));
        var stock = new Dictionary<Guid, (int, int)>();
        await ReadAsync(options, "product", """SELECT "Id", "Stock", "Reserved" FROM products""", r => stock[r.GetGuid(0)] = (r.GetInt32(1), r.GetInt32(2)));
        var notifications = new List<(Guid, Guid, string)>();
        await ReadAsync(options, "notification", """SELECT "Id", "OrderId", "Kind" FROM notifications""", r => notifications.Add((r.GetGuid(0), r.GetGuid(1), r.GetString(2))));
        var files = Directory.Exists(deployment.MailDirectory)
            ? Directory.GetFiles(deployment.MailDirectory, "*.eml").Select(f => Guid.TryParse(Path.GetFileNameWithoutExtension(f), out var id) ? id : Guid.Empty).ToHashSet()
            : [];
        var unsent = new Dictionary<string, long>();
        foreach (var service in OrderXSubscriptions.Services)
            await ReadAsync(options, service, "SELECT count(*) FROM outbox_messages WHERE sent_at IS NULL", r => unsent[service] = r.GetInt64(0));
        var (waiting, deadLetters) = options.Kafka is null ? await RabbitMqDepthsAsync(options) : KafkaDepths(options, deployment);
        return new Audit
        {
            Orders = orders, Payments = payments, Reservations = reservations, Notifications = notifications, EmailFiles = files,
            Stock = stock, UnsentOutbox = unsent, Waiting = waiting, DeadLetters = deadLetters,
        };
    }

    private static async Task ReadAsync(ChaosOptions options, string service, string sql, Action<NpgsqlDataReader> row)
    {
        await using var connection = new NpgsqlConnection($"{options.Postgres};Database={ChaosOptions.DatabasePrefix}{service}");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            row(reader);
    }

    private static async Task<(Dictionary<string, long>, Dictionary<string, long>)> RabbitMqDepthsAsync(ChaosOptions options)
    {
        var factory = new ConnectionFactory { HostName = options.RabbitHost, Port = options.RabbitPort };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var waiting = new Dictionary<string, long>();
        var dead = new Dictionary<string, long>();
        foreach (var queue in OrderXSubscriptions.Queues(ChaosOptions.Exchange))
        {
            waiting[queue] = (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
            dead[queue] = (await channel.QueueDeclarePassiveAsync(DeadLetterQueues.DeadLetterQueue(queue))).MessageCount;
        }
        return (waiting, dead);
    }

    private static (Dictionary<string, long>, Dictionary<string, long>) KafkaDepths(ChaosOptions options, ChaosDeployment deployment)
    {
        var deadLetters = new KafkaDeadLetters(new KafkaOptions { BootstrapServers = options.Kafka!, Prefix = deployment.KafkaPrefix });
        return ([], OrderXSubscriptions.Services.ToDictionary(service => $"group {service}", service => (long)deadLetters.Count(service)));
    }
}
