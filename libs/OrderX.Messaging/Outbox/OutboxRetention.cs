using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderX.Messaging.Outbox;

/// <summary>
/// Deletes outbox rows a day after the broker confirmed them, every five minutes. A sent row is kept that long only
/// for whoever looks into a delivery; without a sweep the table would grow with every event forever.
/// </summary>
public sealed partial class OutboxRetention<TContext>(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<OutboxRetention<TContext>> logger) : PeriodicWork(clock, logger) where TContext : DbContext
{
    public static readonly TimeSpan SentRowRetention = TimeSpan.FromDays(1);

    protected override TimeSpan Interval { get; } = TimeSpan.FromMinutes(5);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var deleted = await SweepAsync(cancellationToken);
        if (deleted > 0)
            LogSwept(Logger, deleted);
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = Clock.GetUtcNow().UtcDateTime - SentRowRetention;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        return await db.Set<OutboxMessage>().Where(m => m.SentAt != null && m.SentAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Debug, "Outbox: removed {Count} sent row(s) past their retention")]
    private static partial void LogSwept(ILogger logger, int count);
}
