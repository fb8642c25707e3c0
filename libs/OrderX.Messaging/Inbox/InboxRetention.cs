using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
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
    ILogger<InboxRetention<TContext>> logger) : BackgroundService where TContext : DbContext
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var deleted = await SweepAsync(stoppingToken);
                if (deleted > 0)
                    LogSwept(deleted);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(error);
            }
            await Task.Delay(SweepInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - options.Value.InboxRetention;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        return await db.Set<InboxMessage>().Where(m => m.ProcessedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "Inbox: removed {Count} record(s) past their retention")]
    private partial void LogSwept(int count);

    [LoggerMessage(LogLevel.Warning, "Inbox retention sweep failed; trying again later")]
    private partial void LogSweepFailed(Exception error);
}
