using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace OrderX.ServiceDefaults;

public static class TelemetryExtensions
{
    /// <summary>
    /// Metrics, always: OrderX's own meters (the order flow, the outbox, inbox, consumers and transports), ASP.NET
    /// Core's and HttpClient's, the runtime's (GC, thread pool, process CPU and memory) and Npgsql's connection pool,
    /// scraped at <c>/metrics</c> (Prometheus text). Traces (requests, outgoing calls, and message publish/process
    /// spans linked into one trace per order), logs and the same metrics are also exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard OpenTelemetry variables apply).
    /// </summary>
    public static WebApplicationBuilder AddOrderXTelemetry(this WebApplicationBuilder builder, OrderXService service)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService($"orderx-{service.Name}"))
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter("OrderX.*")
                    .AddMeter("Npgsql")
                    // The frameworks' own meters, by name: the instrumentation packages' metrics add a wrapper around
                    // every request (to tag errors), which the profile showed costing more than the measurements.
                    .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting",
                        "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Diagnostics")
                    .AddMeter("System.Net.Http", "System.Net.NameResolution")
                    .AddRuntimeInstrumentation()
                    .AddPrometheusExporter();
                if (otlp)
                    metrics.AddOtlpExporter();
            });
        if (!otlp)
            return builder;
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
            o.AddOtlpExporter();
        });
        telemetry.WithTracing(tracing => tracing
            .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
            .AddHttpClientInstrumentation()
            // Every OrderX activity source (messaging's publish and process spans among them), by name: the
            // defaults know no library that defines one.
            .AddSource("OrderX.*")
            .AddOtlpExporter());
        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> for Prometheus, before authentication (scrapers carry no token). The gateway answers it only on
    /// its metrics port (<see cref="OrderXService.MetricsPort"/>), never on its public one.
    /// </summary>
    public static WebApplication UseMetricsEndpoint(this WebApplication app)
    {
        var port = app.Services.GetRequiredService<OrderXService>().MetricsPort(app.Configuration);
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == "/metrics" && (port <= 0 || context.Connection.LocalPort == port));
        return app;
    }
}
