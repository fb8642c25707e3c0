using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrderX.Messaging.Outbox;

/// <summary>
/// Counts the outbox rows not yet confirmed, and the oldest one's age, every <see cref="MessagingOptions.BacklogSampleInterval"/>
/// for the <c>orderx.outbox.pending</c> and <c>orderx.outbox.oldest.age</c> gauges: a scrape reads the last sample
/// instead of querying the database itself. While the database does not answer, the last sample stands and ages.
/// </summary>
public sealed partial class OutboxBacklogSampler<TContext>(
    IServiceScopeFactory scopes,
    IOptions<MessagingOptions> options,
    TimeProvider clock,
    ILogger<OutboxBacklogSampler<TContext>> logger) : BackgroundService where TContext : DbContext
{
    private long _pending;
    private DateTime? _oldest;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        MessagingMetrics.ObserveBacklog(options.Value.ServiceName, () =>
            (Interlocked.Read(ref _pending), _oldest is { } oldest ? Math.Max(0, (clock.GetUtcNow().UtcDateTime - oldest).TotalSeconds) : 0));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                LogSampleFailed(error.GetBaseException().Message);
            }
            await Task.Delay(options.Value.BacklogSampleInterval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var backlog = await OutboxBacklog.CountAsync(scope.ServiceProvider.GetRequiredService<TContext>(), cancellationToken);
        _oldest = backlog.OldestCreatedAt;
        Interlocked.Exchange(ref _pending, backlog.Pending);
    }

    [LoggerMessage(LogLevel.Debug, "Outbox backlog not sampled: {Reason}")]
    private partial void LogSampleFailed(string reason);
}
