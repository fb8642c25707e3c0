using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OrderX.ServiceDefaults;

public static class HealthEndpoints
{
    /// <summary>The checks a process needs to pass to serve its own requests; every other check is for the report only.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// <c>/health/live</c>: the process answers. <c>/health/ready</c>: it can serve its own requests (for a service, its
    /// database answers; a broker outage does not count, the outbox keeps the events), so a load balancer keeps
    /// sending it traffic. <c>/health</c>: the operator's report of every check as JSON, 503 while any one fails
    /// (the broker connection; on the gateway, each service behind it).
    /// </summary>
    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteReportAsync,
        });
        return app;
    }

    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            durationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                readiness = e.Value.Tags.Contains(ReadyTag),
            }),
        }, cancellationToken: context.RequestAborted);
    }
}
