using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrderX.Messaging.Outbox;

/// <summary>
/// Deletes outbox rows a day after the broker confirmed them, every five minutes: a sent row is kept that long only
/// for whoever looks into a delivery.
/// </summary>
public sealed class OutboxRetention<TContext>(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    ILogger<OutboxRetention<TContext>> logger) : RetentionSweep<TContext>(scopes, clock, logger) where TContext : DbContext
{
    protected override TimeSpan Interval { get; } = TimeSpan.FromMinutes(5);

    protected override TimeSpan Retention { get; } = TimeSpan.FromDays(1);

    protected override string Rows => "sent outbox row(s)";

    protected override Task<int> DeleteOlderThanAsync(TContext db, DateTime cutoff, CancellationToken cancellationToken) =>
        db.Set<OutboxMessage>().Where(m => m.SentAt != null && m.SentAt < cutoff).ExecuteDeleteAsync(cancellationToken);
}
