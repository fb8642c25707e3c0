using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrderX.Messaging.Inbox;

/// <summary>
/// Deletes inbox records older than <see cref="MessagingOptions.InboxRetention"/>. A record only has to outlive
/// every redelivery of its message (minutes to hours); without a sweep the table would grow with every event forever.
/// </summary>
public sealed partial class InboxRetention<TContext>(
    IServiceScopeFactory scopes,
    IOptions<MessagingOptions> options,
    TimeProvider clock,
    ILogger<InboxRetention<TContext>> logger) : PeriodicWork(clock, logger) where TContext : DbContext
{
    protected override TimeSpan Interval { get; } = TimeSpan.FromMinutes(10);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var deleted = await SweepAsync(cancellationToken);
        if (deleted > 0)
            LogSwept(Logger, deleted);
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = Clock.GetUtcNow().UtcDateTime - options.Value.InboxRetention;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        return await db.Set<InboxMessage>().Where(m => m.ProcessedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "Inbox: removed {Count} record(s) past their retention")]
    private static partial void LogSwept(ILogger logger, int count);
}
