using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderX.Messaging;

namespace OrderX.Orders.Idempotency;

/// <summary>Forgets idempotency keys past their lifetime, every ten minutes.</summary>
public sealed class IdempotencyRetention(IServiceScopeFactory scopes, TimeProvider clock, ILogger<IdempotencyRetention> logger)
    : PeriodicWork(clock, logger)
{
    protected override TimeSpan Interval { get; } = TimeSpan.FromMinutes(10);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IdempotencyStore>().SweepAsync(cancellationToken);
    }
}
