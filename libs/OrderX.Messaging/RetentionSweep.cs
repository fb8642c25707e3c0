using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderX.Messaging;

/// <summary>
/// Deletes the rows of one bookkeeping table (the inbox's, the outbox's sent rows) once they are older than their
/// retention, every <see cref="PeriodicWork.Interval"/>: without a sweep such a table grows with every event forever.
/// </summary>
public abstract partial class RetentionSweep<TContext>(IServiceScopeFactory scopes, TimeProvider clock, ILogger logger)
    : PeriodicWork(clock, logger) where TContext : DbContext
{
    protected abstract TimeSpan Retention { get; }

    /// <summary>What the rows are, for the log line.</summary>
    protected abstract string Rows { get; }

    protected abstract Task<int> DeleteOlderThanAsync(TContext db, DateTime cutoff, CancellationToken cancellationToken);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var deleted = await SweepAsync(cancellationToken);
        if (deleted > 0)
            LogSwept(Logger, deleted, Rows);
    }

    /// <summary>One pass; returns how many rows it deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        return await DeleteOlderThanAsync(db, Clock.GetUtcNow().UtcDateTime - Retention, cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "Removed {Count} {Rows} past their retention")]
    private static partial void LogSwept(ILogger logger, int count, string rows);
}
