using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Outbox;

/// <summary>
/// Publishes committed outbox rows and marks each sent only after the broker confirmed it. The rows this process
/// commits are handed over by <see cref="OutboxCommitInterceptor"/> and published at once, then marked sent: no read
/// of the table, no transaction, and one statement for all the batches confirmed within
/// <see cref="MessagingOptions.RelayMarkSentDelay"/>, each row with the time of its own confirmation. A poll, every
/// <see cref="MessagingOptions.RelayPollInterval"/>, takes what is due and was not handed over: rows whose publish failed (after their back-off) and rows of a process
/// that died before publishing them (after <see cref="MessagingOptions.RelayHandoffGrace"/>). On PostgreSQL the poll
/// claims its batch with FOR UPDATE SKIP LOCKED, so relays of several instances never publish one row concurrently.
/// A batch is published as one stream of confirms rather than one awaited publish at a time.
/// </summary>
public sealed partial class OutboxRelay<TContext>(
    IServiceScopeFactory scopes,
    IMessageTransport transport,
    OutboxSignal signal,
    IOptions<MessagingOptions> options,
    TimeProvider clock,
    ILogger<OutboxRelay<TContext>> logger) : BackgroundService where TContext : DbContext
{
    private const string MarkSentSql =
        "UPDATE " + MessagingModel.OutboxTable + " AS m SET sent_at = c.confirmed_at FROM unnest({0}, {1}) AS c(id, confirmed_at) " +
        "WHERE m.id = c.id AND m.sent_at IS NULL";

    private readonly SentMarks _marks = new();
    private readonly SemaphoreSlim _marking = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var consecutiveFailures = 0;
        var nextPoll = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!transport.IsConnected)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), stoppingToken);
                    continue;
                }
                await PublishHandedOverAsync(stoppingToken);
                if (clock.GetUtcNow() >= nextPoll)
                {
                    var polled = await PublishDueAsync(stoppingToken);
                    nextPoll = polled < settings.RelayBatchSize ? clock.GetUtcNow() + settings.RelayPollInterval : clock.GetUtcNow();
                }
                if (MarksDue())
                    await MarkSentAsync(stoppingToken);
                consecutiveFailures = 0;
                if (!signal.HasCommitted)
                {
                    var wakeAt = _marks.DueAt(MarkSentDelay) is { } marksDue && marksDue < nextPoll ? marksDue : nextPoll;
                    var untilWake = wakeAt - clock.GetUtcNow();
                    if (untilWake > TimeSpan.Zero)
                        await signal.WaitAsync(untilWake, stoppingToken);
                }
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
        await MarkBeforeStoppingAsync();
    }

    // What was confirmed is marked before the process goes, so a restart does not publish it again.
    private async Task MarkBeforeStoppingAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await MarkSentAsync(deadline.Token);
        }
        catch (Exception error)
        {
            LogMarkOnStopFailed(error, _marks.Count);
        }
    }

    /// <summary>Publishes what was handed over, then one batch of due rows; returns how many rows it published or tried.</summary>
    public async Task<int> PublishPendingAsync(CancellationToken cancellationToken)
    {
        var published = await PublishHandedOverAsync(cancellationToken) + await PublishDueAsync(cancellationToken);
        await MarkSentAsync(cancellationToken);
        return published;
    }

    /// <summary>The rows this process committed, straight from memory.</summary>
    private async Task<int> PublishHandedOverAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var total = 0;
        while (true)
        {
            // A row that waited this long is left to the poll, which may already be publishing it.
            var staleBefore = (clock.GetUtcNow() - settings.RelayHandoffGrace / 2).UtcDateTime;
            var rows = signal.Take(settings.RelayBatchSize).Where(r => r.CreatedAt > staleBefore).ToList();
            if (rows.Count == 0)
                return total;
            total += rows.Count;
            var outcomes = await PublishAllAsync(rows, settings.PublishTimeout, cancellationToken);
            var confirmed = clock.GetUtcNow();
            var confirmedAt = confirmed.UtcDateTime;
            _marks.Add(rows.Where((_, i) => outcomes[i] is null).Select(r => r.Id), confirmedAt, confirmed);
            if (MarksDue())
                await MarkSentAsync(cancellationToken);
            if (outcomes.Any(o => o is not null))
                await DeferFailedAsync(rows, outcomes, confirmedAt, cancellationToken);
            Report(rows, outcomes, confirmedAt);
        }
    }

    // A row whose publish failed waits out its back-off and is then the poll's.
    private async Task DeferFailedAsync(List<OutboxMessage> rows, Exception?[] outcomes, DateTime failedAt, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var retryAt = failedAt + Backoff(1, options.Value.MaxRelayBackoff);
        for (var i = 0; i < rows.Count; i++)
        {
            if (outcomes[i] is not { } failure)
                continue;
            var id = rows[i].Id;
            var error = Truncate(failure.Message, 1000);
            await db.Set<OutboxMessage>()
                .Where(m => m.Id == id && m.SentAt == null)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Attempts, m => m.Attempts + 1)
                    .SetProperty(m => m.NextAttemptAt, retryAt)
                    .SetProperty(m => m.LastError, error), cancellationToken);
        }
    }

    /// <summary>One batch of due rows from the table; returns how many rows it claimed.</summary>
    private async Task<int> PublishDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        var claimsRows = db.IsPostgres();
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

        var outcomes = await PublishAllAsync(rows, settings.PublishTimeout, cancellationToken);
        var confirmedAt = clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < rows.Count; i++)
        {
            if (outcomes[i] is null)
            {
                rows[i].SentAt = confirmedAt;
                continue;
            }
            rows[i].Attempts++;
            rows[i].NextAttemptAt = confirmedAt + Backoff(rows[i].Attempts, settings.MaxRelayBackoff);
            rows[i].LastError = Truncate(outcomes[i]!.Message, 1000);
        }
        await db.SaveChangesAsync(cancellationToken);
        if (transaction is not null)
            await transaction.CommitAsync(cancellationToken);
        Report(rows, outcomes, confirmedAt);
        return rows.Count;
    }

    // Never so late that the poll could take a row that only waits for its mark.
    private TimeSpan MarkSentDelay
    {
        get
        {
            var settings = options.Value;
            var cap = settings.RelayHandoffGrace / 4;
            return settings.RelayMarkSentDelay < cap ? settings.RelayMarkSentDelay : cap;
        }
    }

    private bool MarksDue() => _marks.IsDue(options.Value.RelayBatchSize, MarkSentDelay, clock.GetUtcNow());

    /// <summary>Marks every confirmed row sent: on PostgreSQL in one statement, elsewhere one per confirmation time in one transaction.</summary>
    private async Task MarkSentAsync(CancellationToken cancellationToken)
    {
        await _marking.WaitAsync(cancellationToken);
        try
        {
            var marks = _marks.Peek();
            if (marks.Count == 0)
                return;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TContext>();
            if (db.IsPostgres())
            {
                object[] columns = [marks.Select(m => m.Id).ToArray(), marks.Select(m => m.ConfirmedAt).ToArray()];
                await db.Database.ExecuteSqlRawAsync(MarkSentSql, columns, cancellationToken);
            }
            else
            {
                var batches = marks.GroupBy(m => m.ConfirmedAt).ToList();
                await using var transaction = batches.Count > 1 ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
                foreach (var batch in batches)
                {
                    var ids = batch.Select(m => m.Id).ToList();
                    var confirmedAt = batch.Key;
                    await db.Set<OutboxMessage>()
                        .Where(m => ids.Contains(m.Id) && m.SentAt == null)
                        .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, confirmedAt), cancellationToken);
                }
                if (transaction is not null)
                    await transaction.CommitAsync(cancellationToken);
            }
            _marks.Written(marks.Count, clock.GetUtcNow());
        }
        finally
        {
            _marking.Release();
        }
    }

    // Started in order on one channel, awaited together: the broker sees them in order.
    private Task<Exception?[]> PublishAllAsync(List<OutboxMessage> rows, TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.WhenAll(rows.Select(row => PublishAsync(row, timeout, cancellationToken)).ToArray());

    private void Report(List<OutboxMessage> rows, Exception?[] outcomes, DateTime confirmedAt)
    {
        var service = options.Value.ServiceName;
        for (var i = 0; i < rows.Count; i++)
        {
            if (outcomes[i] is { } error)
                MessagingMetrics.PublishFailed(service, rows[i].Type, error);
            else
                MessagingMetrics.Published(service, rows[i].Type, 1);
        }
        var failed = outcomes.Count(o => o is not null);
        if (failed > 0)
            LogPublishFailures(failed, rows.Count, outcomes.First(o => o is not null)!.Message);
        else
            LogPublished(rows.Count, (confirmedAt - rows[0].CreatedAt).TotalMilliseconds);
    }

    private async Task<Exception?> PublishAsync(OutboxMessage row, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var activity = MessagingTelemetry.IsEnabled ? MessagingTelemetry.StartPublish(options.Value.ServiceName, row.Type, row.Id, row.Subject, TraceParentOf(row)) : null;
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

    [LoggerMessage(LogLevel.Warning, "Outbox: {Count} confirmed row(s) could not be marked sent before stopping; the poll will publish them again")]
    private partial void LogMarkOnStopFailed(Exception error, int count);

    [LoggerMessage(LogLevel.Warning, "Outbox relay failed; retrying in {DelayMs} ms")]
    private partial void LogRelayFailed(Exception error, double delayMs);
}
