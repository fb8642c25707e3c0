using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderX.Contracts;
using OrderX.Messaging;
using OrderX.Orders.Data;
using OrderX.Orders.Domain;

namespace OrderX.Orders.Saga;

/// <summary>
/// Cancels (and so compensates) orders left pending past <see cref="OrderSagaOptions.PendingTimeout"/>, for
/// instance while the payment service is down. Safe with several instances: the order's version makes a
/// cancellation that raced with an answer (or with another instance) fail, and the next pass looks again.
/// </summary>
public sealed partial class PendingOrderTimeout(
    IServiceScopeFactory scopes,
    IOptions<OrderSagaOptions> options,
    TimeProvider clock,
    ILogger<PendingOrderTimeout> logger) : PeriodicWork(clock, logger)
{
    private const int BatchSize = 100;

    protected override TimeSpan Interval => options.Value.TimeoutCheckInterval;

    protected override bool WaitBeforeFirstPass => true;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        while (await CancelOverdueAsync(cancellationToken) == BatchSize)
        {
        }
    }

    /// <summary>One pass: cancels up to a batch of overdue orders; returns how many were overdue.</summary>
    public async Task<int> CancelOverdueAsync(CancellationToken cancellationToken)
    {
        var timeout = options.Value.PendingTimeout;
        var cutoff = Clock.GetUtcNow().UtcDateTime - timeout;
        List<Guid> overdue;
        await using (var scope = scopes.CreateAsyncScope())
        {
            overdue = await scope.ServiceProvider.GetRequiredService<OrdersDbContext>().Orders.AsNoTracking()
                .Where(o => o.Status == OrderStatus.Pending && o.CreatedAt < cutoff)
                .OrderBy(o => o.CreatedAt)
                .Select(o => o.Id)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
        }
        foreach (var orderId in overdue)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
            var saga = scope.ServiceProvider.GetRequiredService<OrderSaga>();
            var order = await db.Orders.FirstAsync(o => o.Id == orderId, cancellationToken);
            saga.Apply(order, OrderCauses.Timeout, o => o.CancelPending(OrderCauses.Timeout, CancellationReasons.Timeout,
                $"Cancelled: the order could not be completed within {timeout.TotalMinutes:0.##} minute(s).", saga.Now));
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                LogRaced(Logger, orderId);
            }
        }
        return overdue.Count;
    }

    [LoggerMessage(LogLevel.Information, "Order {OrderId} changed while being timed out; it is looked at again on the next pass")]
    private static partial void LogRaced(ILogger logger, Guid orderId);
}
