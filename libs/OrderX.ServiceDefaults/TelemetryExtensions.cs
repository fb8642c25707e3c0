using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrderX.ServiceDefaults.InProcess;

namespace OrderX.ServiceDefaults;

public static class TelemetryExtensions
{
    /// <summary>
    /// Metrics, always: OrderX's own meters (the order flow, the outbox, inbox, consumers and transports), ASP.NET
    /// Core's and HttpClient's, the runtime's (GC, thread pool, process CPU and memory) and Npgsql's connection pool,
    /// scraped at <c>/metrics</c> (Prometheus text). Traces (requests, outgoing calls, and message publish/process
    /// spans linked into one trace per order), logs and the same metrics are also exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, or each signal alone with its own <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>,
    /// <c>..._METRICS_...</c> or <c>..._LOGS_...</c> (the standard OpenTelemetry variables apply).
    /// </summary>
    public static WebApplicationBuilder AddOrderXTelemetry(this WebApplicationBuilder builder, OrderXService service)
    {
        var configuration = builder.Configuration;
        bool Exports(string signal) => !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])
            || !string.IsNullOrWhiteSpace(configuration[$"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"]);
        // Trace and metric listeners see the whole process, where a logger sees only its own app: in the all-in-one
        // one part (the gateway) exports the process's spans, the parts share one metrics pipeline (ProcessMetrics), both
        // under the process's name, and every part exports its logs.
        var allInOne = configuration.GetValue<bool>(AllInOneKey);
        var processWide = !allInOne || service == OrderXService.Gateway;
        var processName = allInOne ? "orderx-allinone" : $"orderx-{service.Name}";
        var telemetry = builder.Services.AddOpenTelemetry().ConfigureResource(r => r.AddService($"orderx-{service.Name}"));
        void AddMeters(MeterProviderBuilder metrics)
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
            if (Exports("METRICS"))
                metrics.AddOtlpExporter(o => ForSignal(o, configuration, "METRICS"));
        }
        if (allInOne)
            // Built apart from any part's OpenTelemetry services, so it names its resource itself.
            builder.Services.AddSingleton(_ => ProcessMetrics.Acquire(metrics => AddMeters(metrics.ConfigureResource(r => r.AddService(processName)))));
        else
            telemetry.WithMetrics(AddMeters);
        if (Exports("LOGS"))
        {
            builder.Logging.AddOpenTelemetry(o =>
            {
                o.IncludeFormattedMessage = true;
                o.IncludeScopes = true;
                o.AddOtlpExporter(exporter => ForSignal(exporter, configuration, "LOGS"));
            });
        }
        if (Exports("TRACES") && processWide)
        {
            telemetry.WithTracing(tracing => tracing
                // Added after the shared resource, so its service.name wins (the rest, OTEL_RESOURCE_ATTRIBUTES's too, stays).
                .ConfigureResource(r => r.AddService(processName))
                .AddAspNetCoreInstrumentation(o =>
                {
                    o.Filter = context => !context.Request.Path.StartsWithSegments("/health") && context.Request.Path != "/metrics";
                    o.EnrichWithHttpRequest = (activity, request) =>
                        activity.SetTag(ServiceTag, request.HttpContext.RequestServices.GetService<OrderXService>()?.Name);
                })
                .AddHttpClientInstrumentation()
                // Every OrderX activity source (messaging's publish and process spans among them), by name: the
                // defaults know no library that defines one.
                .AddSource("OrderX.*")
                .AddOtlpExporter(o => ForSignal(o, configuration, "TRACES")));
        }
        return builder;
    }

    /// <summary>
    /// A signal's own endpoint and protocol, which the per-signal exporters do not read themselves; the endpoint is
    /// taken as the whole URL (…/v1/traces), as the specification says for these variables.
    /// </summary>
    private static void ForSignal(OtlpExporterOptions exporter, IConfiguration configuration, string signal)
    {
        if (configuration[$"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"] is { Length: > 0 } endpoint)
            exporter.Endpoint = new Uri(endpoint);
        if (configuration[$"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL"] is { Length: > 0 } protocol)
            exporter.Protocol = protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
    }

    /// <summary>Set by the all-in-one host for each part it runs.</summary>
    public const string AllInOneKey = "Telemetry:AllInOne";

    /// <summary>The OrderX service a span belongs to, whichever process exported it.</summary>
    public const string ServiceTag = "orderx.service";

    /// <summary>
    /// <c>/metrics</c> for Prometheus, before authentication (scrapers carry no token). The gateway answers it only on
    /// its metrics port (<see cref="OrderXService.MetricsPort"/>), never on its public one.
    /// </summary>
    public static WebApplication UseMetricsEndpoint(this WebApplication app)
    {
        var port = app.Services.GetRequiredService<OrderXService>().MetricsPort(app.Configuration);
        bool Scrape(HttpContext context) => context.Request.Path == "/metrics" && (port <= 0 || context.Connection.LocalPort == port);
        if (app.Services.GetService<ProcessMetrics.Lease>() is { } processMetrics)
            app.UseOpenTelemetryPrometheusScrapingEndpoint(processMetrics.Provider, Scrape, path: null, configureBranchedPipeline: null, optionsName: null);
        else
            app.UseOpenTelemetryPrometheusScrapingEndpoint(Scrape);
        return app;
    }
}
