using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderX.Messaging;
using OrderX.Orders.Data;
using OrderX.Orders.Domain;
using OrderX.ServiceData;

namespace OrderX.Orders.Saga;

/// <summary>
/// Counts the pending orders and finds the oldest, every <see cref="OrderSagaOptions.PendingSampleInterval"/>, for the
/// <c>orderx.orders.pending</c> gauges (an order stuck pending is the flow's first sign of trouble). One indexed query.
/// </summary>
public sealed class PendingOrdersSampler(
    IServiceScopeFactory scopes,
    IOptions<OrderSagaOptions> options,
    TimeProvider clock,
    ILogger<PendingOrdersSampler> logger) : PeriodicWork(clock, logger)
{
    protected override TimeSpan Interval => options.Value.PendingSampleInterval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var pending = scope.ServiceProvider.GetRequiredService<OrdersDbContext>().Orders.AsNoTracking().Where(o => o.Status == OrderStatus.Pending);
        var count = await pending.LongCountAsync(cancellationToken);
        var oldest = count == 0 ? null : await pending.MinAsync(o => (DateTime?)o.CreatedAt, cancellationToken);
        OrderFlowMetrics.PendingSampled(count, oldest);
    }
}
