using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrderX.Messaging.Inbox;

/// <summary>
/// Deletes inbox records older than <see cref="MessagingOptions.InboxRetention"/>, every ten minutes. A record only
/// has to outlive every redelivery of its message (minutes to hours).
/// </summary>
public sealed class InboxRetention<TContext>(
    IServiceScopeFactory scopes,
    IOptions<MessagingOptions> options,
    TimeProvider clock,
    ILogger<InboxRetention<TContext>> logger) : RetentionSweep<TContext>(scopes, clock, logger) where TContext : DbContext
{
    protected override TimeSpan Interval { get; } = TimeSpan.FromMinutes(10);

    protected override TimeSpan Retention => options.Value.InboxRetention;

    protected override string Rows => "inbox record(s)";

    protected override Task<int> DeleteOlderThanAsync(TContext db, DateTime cutoff, CancellationToken cancellationToken) =>
        db.Set<InboxMessage>().Where(m => m.ProcessedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
}
