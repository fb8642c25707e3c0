using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Outbox;

/// <summary>
/// Publishes committed outbox rows in order and marks each sent only after the broker confirmed it.
/// A batch is published as one stream of confirms rather than one awaited publish at a time.
/// On PostgreSQL the batch is claimed with FOR UPDATE SKIP LOCKED, so relays of several instances
/// never publish the same row concurrently.
/// </summary>
public sealed partial class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    IMessageTransport transport,
    OutboxSignal signal,
    IOptions<MessagingOptions> options,
    TimeProvider clock,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService where TContext : DbContext
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var consecutiveFailures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!transport.IsConnected)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), stoppingToken);
                    continue;
                }
                var published = await PublishPendingAsync(stoppingToken);
                consecutiveFailures = 0;
                if (published < settings.RelayBatchSize)
                    await signal.WaitAsync(settings.RelayPollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error)
            {
                consecutiveFailures++;
                var delay = Backoff(consecutiveFailures, settings.MaxRelayBackoff);
                LogRelayFailed(error, delay.TotalMilliseconds);
                await Task.Delay(delay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Publishes one batch of due rows; returns how many rows it claimed.</summary>
    public async Task<int> PublishPendingAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var claimsRows = IsPostgres(db);
        await using var transaction = claimsRows ? await db.Database.BeginTransactionAsync(cancellationToken) : null;

        var now = clock.GetUtcNow().UtcDateTime;
        var batchSize = settings.RelayBatchSize;
        var rows = claimsRows
            ? await db.Set<OutboxMessage>()
                .FromSqlInterpolated($"SELECT * FROM outbox_messages WHERE sent_at IS NULL AND next_attempt_at <= {now} ORDER BY sequence LIMIT {batchSize} FOR UPDATE SKIP LOCKED")
                .ToListAsync(cancellationToken)
            : await db.Set<OutboxMessage>()
                .Where(m => m.SentAt == null && m.NextAttemptAt <= now)
                .OrderBy(m => m.Sequence)
                .Take(batchSize)
                .ToListAsync(cancellationToken);
        if (rows.Count == 0)
            return 0;

        // Started in sequence order on one channel, awaited together: the broker sees them in order.
        var publishes = rows.Select(row => PublishAsync(row, settings.PublishTimeout, cancellationToken)).ToArray();
        var outcomes = await Task.WhenAll(publishes);

        var confirmedAt = clock.GetUtcNow().UtcDateTime;
        var failed = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            if (outcomes[i] is null)
            {
                rows[i].SentAt = confirmedAt;
                continue;
            }
            failed++;
            rows[i].Attempts++;
            rows[i].NextAttemptAt = confirmedAt + Backoff(rows[i].Attempts, settings.MaxRelayBackoff);
            rows[i].LastError = Truncate(outcomes[i]!.Message, 1000);
        }
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
            await transaction.CommitAsync(cancellationToken);

        if (failed > 0)
            LogPublishFailures(failed, rows.Count, outcomes.First(o => o is not null)!.Message);
        else
            LogPublished(rows.Count, (confirmedAt - rows[0].CreatedAt).TotalMilliseconds);
        return rows.Count;
    }

    private async Task<Exception?> PublishAsync(OutboxMessage row, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var activity = MessagingTelemetry.IsEnabled ? MessagingTelemetry.StartPublish(row.Type, row.Id, row.Subject, TraceParentOf(row)) : null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var body = System.Text.Encoding.UTF8.GetBytes(row.Payload);
            await transport.PublishAsync(new TransportMessage(row.Id, row.Type, row.Subject, body), deadline.Token);
            return null;
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            return error;
        }
    }

    // The row holds the envelope, and the envelope the context of the transaction that wrote it.
    private static string? TraceParentOf(OutboxMessage row)
    {
        const string marker = "\"traceparent\":\"";
        var start = row.Payload.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
            return null;
        start += marker.Length;
        var end = row.Payload.IndexOf('"', start);
        return end > start ? row.Payload[start..end] : null;
    }

    private static bool IsPostgres(DbContext db) => db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true;

    private static TimeSpan Backoff(int attempt, TimeSpan max)
    {
        var delay = TimeSpan.FromMilliseconds(200 * Math.Pow(2, Math.Min(attempt - 1, 10)));
        return delay < max ? delay : max;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    [LoggerMessage(LogLevel.Debug, "Outbox: published {Count} event(s); oldest waited {LagMs:F1} ms from commit to confirm")]
    private partial void LogPublished(int count, double lagMs);

    [LoggerMessage(LogLevel.Warning, "Outbox: {Failed} of {Count} publish(es) not confirmed, will retry: {Error}")]
    private partial void LogPublishFailures(int failed, int count, string error);

    [LoggerMessage(LogLevel.Warning, "Outbox relay failed; retrying in {DelayMs} ms")]
    private partial void LogRelayFailed(Exception error, double delayMs);
}
