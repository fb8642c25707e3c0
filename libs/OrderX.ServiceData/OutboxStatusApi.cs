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
            var backlog = await OutboxBacklog.CountAsync(db, cancellationToken);
            return TypedResults.Ok(new OutboxStatus(service.Name, backlog.Pending, backlog.OldestCreatedAt, Math.Round(backlog.OldestAgeSeconds(clock.GetUtcNow().UtcDateTime), 1)));
        }).RequireAuthorization(OrderXPolicies.Admin).ExcludeFromDescription();
        return app;
    }
}
