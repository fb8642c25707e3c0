using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using OrderX.Messaging.Outbox;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;

namespace OrderX.ServiceData;

/// <summary>What waits in a service's outbox: rows not yet confirmed by the broker, and the oldest one's age.</summary>
public sealed record OutboxStatus(string Service, long Pending, DateTime? OldestCreatedAt, double OldestAgeSeconds);

public static class OutboxStatusApi
{
    public const string Path = "/api/admin/outbox";

    /// <summary>
    /// <c>GET /api/admin/outbox</c> (administrators, asked of each service directly, as the operator's console does):
    /// counted now, not the metric's last sample.
    /// </summary>
    public static IEndpointRouteBuilder MapOutboxStatus<TContext>(this IEndpointRouteBuilder app) where TContext : DbContext
    {
        app.MapGet(Path, async (TContext db, OrderXService service, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var unsent = db.Set<OutboxMessage>().AsNoTracking().Where(m => m.SentAt == null);
            var pending = await unsent.LongCountAsync(cancellationToken);
            var oldest = pending == 0 ? null : await unsent.MinAsync(m => (DateTime?)m.CreatedAt, cancellationToken);
            var age = oldest is { } at ? Math.Max(0, (clock.GetUtcNow().UtcDateTime - at).TotalSeconds) : 0;
            return TypedResults.Ok(new OutboxStatus(service.Name, pending, oldest, Math.Round(age, 1)));
        }).RequireAuthorization(OrderXPolicies.Admin).ExcludeFromDescription();
        return app;
    }
}
