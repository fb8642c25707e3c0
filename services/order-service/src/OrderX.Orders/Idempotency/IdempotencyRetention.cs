using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrderX.Orders.Idempotency;

/// <summary>Forgets idempotency keys past their lifetime, every ten minutes.</summary>
public sealed partial class IdempotencyRetention(IServiceScopeFactory scopes, ILogger<IdempotencyRetention> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IdempotencyStore>().SweepAsync(stoppingToken);
            }
            catch (Exception error) when (!stoppingToken.IsCancellationRequested)
            {
                LogSweepFailed(error);
            }
            await Task.Delay(TimeSpan.FromMinutes(10), stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Sweeping expired idempotency keys failed; trying again later")]
    private partial void LogSweepFailed(Exception error);
}
