using Microsoft.AspNetCore.Builder;
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
    /// Traces (requests, outgoing calls, and message publish/process spans linked into one trace per order),
    /// metrics and logs, exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard
    /// OpenTelemetry variable; <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> and friends apply too). Unset, nothing is collected.
    /// </summary>
    public static WebApplicationBuilder AddOrderXTelemetry(this WebApplicationBuilder builder, OrderXService service)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            return builder;
        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
        });
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService($"orderx-{service.Name}"))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                // Every OrderX activity source (messaging's publish and process spans among them), by name: the
                // defaults know no library that defines one.
                .AddSource("OrderX.*"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .UseOtlpExporter();
        return builder;
    }
}
