using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrderX.Messaging;

/// <summary>
/// Housekeeping that runs every <see cref="Interval"/> for the life of the service. A failed pass (the database
/// down, say) is logged and the next one tries again; nothing is lost by skipping a pass.
/// </summary>
public abstract partial class PeriodicWork(TimeProvider clock, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock => clock;

    protected ILogger Logger => logger;

    protected abstract TimeSpan Interval { get; }

    /// <summary>Whether the first pass waits one interval (when the work is about ageing, there is nothing to do at start).</summary>
    protected virtual bool WaitBeforeFirstPass => false;

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (WaitBeforeFirstPass)
            await Task.Delay(Interval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(GetType().Name, error);
            }
            await Task.Delay(Interval, clock, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(LogLevel.Warning, "{Work}: a pass failed; trying again on the next one")]
    private partial void LogPassFailed(string work, Exception error);
}
