using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OrderX.ServiceData;

namespace OrderX.Orders.Tracking;

/// <summary>
/// On PostgreSQL, hears every step any instance adds to an order's history (the trigger of migration
/// <c>OrderHistoryNotify</c> notifies <see cref="Channel"/> in the step's commit) and wakes this instance's watchers
/// of that order. The first step, the placement, is not notified (migration <c>OrderHistoryNotifyAfterPlacement</c>):
/// it commits with the order, before anyone can watch it. While it has no connection, watchers fall back to reading
/// often; once it has one again, they all read once, for whatever was committed in between.
/// </summary>
public sealed partial class OrderHistoryListener(DatabaseSettings settings, OrderChangeWatch watch, ILogger<OrderHistoryListener> logger) : BackgroundService
{
    public const string Channel = "orderx_order_history";

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.IsPostgres)
            return;
        // A connection of its own, outside the pool: it stays in LISTEN for the process's life. Keepalives find a
        // server that went away without closing it.
        var connectionString = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Pooling = false, KeepAlive = 10 }.ConnectionString;
        var delay = TimeSpan.FromMilliseconds(250);
        var everConnected = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => Wake(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                watch.SeesOtherInstances = true;
                watch.NotifyAll();
                if (everConnected)
                    LogListeningAgain();
                everConnected = true;
                delay = TimeSpan.FromMilliseconds(250);
                while (true)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error)
            {
                var wasListening = watch.SeesOtherInstances;
                watch.SeesOtherInstances = false;
                watch.NotifyAll();
                // Before the first connection the database initializer reports the wait; a lost connection is news.
                if (wasListening)
                    LogLost(error.Message, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    /// <summary>
    /// The payload is the order's id and its status after the step (<c>id:status</c>, migration
    /// <c>OrderHistoryNotifyStatus</c>); a bare id, from a database not migrated yet, wakes every watcher of the order.
    /// </summary>
    public void Wake(string payload)
    {
        var separator = payload.IndexOf(':');
        var id = separator < 0 ? payload : payload[..separator];
        if (Guid.TryParse(id, out var orderId))
            watch.Notify(orderId, separator < 0 ? null : payload[(separator + 1)..]);
    }

    [LoggerMessage(LogLevel.Warning, "Lost the order history notifications ({Reason}); watchers read every 250 ms until they are back; retrying in {DelaySeconds:F2} s")]
    private partial void LogLost(string reason, double delaySeconds);

    [LoggerMessage(LogLevel.Information, "Order history notifications are back")]
    private partial void LogListeningAgain();
}
