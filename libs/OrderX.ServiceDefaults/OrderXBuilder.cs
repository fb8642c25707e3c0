using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderX.ServiceDefaults.InProcess;

namespace OrderX.ServiceDefaults;

public static class OrderXBuilder
{
    /// <summary>
    /// The builder every OrderX process starts from. Defaults sit below every other configuration source,
    /// so command-line arguments and environment variables (e.g. <c>Database__Provider=postgres</c>) win.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(OrderXService service, string[] args)
    {
        // OrderX reads no settings files, yet the host would watch its content root (the working directory) for
        // them and wake on every log or SQLite write there; arguments given after this one can switch it back on.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false", .. args] });
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        if (ConfigurationKeyRecorder.Active is { } recorder)
            builder.Configuration.Sources.Add(recorder);
        // Containers say where to listen (ASPNETCORE_HTTP_PORTS, set by the .NET images); elsewhere Ports:<name> decides.
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
            builder.Configuration.AddInMemoryCollection(Listeners(service, builder.Configuration));

        builder.Logging.ClearProviders();
        // Readable lines for people at a terminal, JSON lines for collectors everywhere else (containers, pipes, files);
        // Logging__Console__FormatterName chooses: orderx (the lines), orderx-json, or the framework's own.
        builder.Logging.AddConsole(o => o.FormatterName ??= Console.IsOutputRedirected ? JsonLineConsoleFormatter.FormatterName : ServiceConsoleFormatter.FormatterName)
            .AddConsoleFormatter<ServiceConsoleFormatter, ServiceConsoleFormatterOptions>(o => o.Service = service.Name)
            .AddConsoleFormatter<JsonLineConsoleFormatter, ServiceConsoleFormatterOptions>(o => o.Service = service.Name);

        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier;
            if (context.HttpContext.Items[CorrelationMiddleware.ItemKey] is string correlationId)
                context.ProblemDetails.Extensions["correlationId"] = correlationId;
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DependencyFailureExceptionHandler>();
        // A body that is not valid JSON must reach the handler above as an exception, in every environment.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.MaxDepth = 32);
        builder.Services.AddHealthChecks();
        builder.Services.ConfigureForwardedHeaders(builder.Configuration);
        builder.AddOrderXTelemetry(service);
        // The services document their APIs; the gateway and the web front serve no API of their own.
        if (OrderXService.Backends.Contains(service))
        {
            builder.AddOrderXOpenApi(service);
            if (InProcessEndpoints.AreUsed(builder.Configuration))
                builder.Services.AddInProcessEndpoint(service);
        }
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton(services => new OptionsWarmup(builder.Services, services));
        builder.Services.AddHostedService(services => services.GetRequiredService<OptionsWarmup>());
        return builder;
    }

    /// <summary>
    /// Error handling, correlation ids, authentication and health endpoints, in the order they must run;
    /// <paramref name="beforeAuthentication"/> adds what must see a request before its token is checked.
    /// </summary>
    public static WebApplication UseOrderXDefaults(this WebApplication app, Action<WebApplication>? beforeAuthentication = null)
    {
        app.UseMetricsEndpoint();
        app.UseForwardedHeaders();
        app.UseMiddleware<CorrelationMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        beforeAuthentication?.Invoke(app);
        if (app.Services.GetService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>() is not null)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }
        app.MapHealthEndpoints();
        foreach (var mapping in app.Services.GetServices<EndpointMapping>())
            mapping.Map(app);
        if (OrderXService.Backends.Contains(app.Services.GetRequiredService<OrderXService>()))
            app.MapOrderXOpenApi();
        return app;
    }

    /// <summary>
    /// Kestrel endpoints: the service's port (HTTP/1.1, for everyone) and, behind the gateway, an HTTP/2-only port
    /// for the gateway and the other services. Kestrel speaks HTTP/2 without TLS only on an endpoint that speaks
    /// nothing else, and over one multiplexed connection a caller makes far fewer system calls per request than over
    /// HTTP/1.1's one-request-at-a-time connections (gateway throughput ÷ direct 0.30 -> 0.46 on two cores).
    /// </summary>
    private static Dictionary<string, string?> Listeners(OrderXService service, IConfiguration configuration)
    {
        var host = configuration["BindHost"] ?? "localhost";
        var endpoints = new Dictionary<string, string?> { ["Kestrel:Endpoints:Http:Url"] = $"http://{host}:{service.Port(configuration)}" };
        if (OrderXService.Backends.Contains(service) && service.Http2Port(configuration) is > 0 and var http2Port)
        {
            endpoints["Kestrel:Endpoints:Http2:Url"] = $"http://{host}:{http2Port}";
            endpoints["Kestrel:Endpoints:Http2:Protocols"] = "Http2";
        }
        if (service.MetricsPort(configuration) is > 0 and var metricsPort)
            endpoints["Kestrel:Endpoints:Metrics:Url"] = $"http://{host}:{metricsPort}";
        return endpoints;
    }

    private static readonly Dictionary<string, string?> Defaults = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        // Hosting starts an Activity for every request whenever this category is enabled at all, even with no tracer
        // listening; off, a request costs less (gateway 22,000 -> 27,000 proxied req/s). Tracing, when switched on
        // (OTEL_EXPORTER_OTLP_ENDPOINT), listens to the activity source and gets its activities regardless.
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "None",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Extensions.Http"] = "Warning",
        ["Logging:LogLevel:System.Net.Http"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
        ["Logging:LogLevel:Yarp"] = "Warning",
        // The gateway logs each upstream failure in one line of its own (OrderX.Gateway.UpstreamErrors); the
        // forwarder's warning adds the whole stack trace of the same failure.
        ["Logging:LogLevel:Yarp.ReverseProxy.Forwarder.HttpForwarder"] = "Error",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        // Keys protect nothing OrderX stores yet; the warning about their unencrypted storage is noise.
        ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
        // Readiness is answered at /health/ready; a not-yet-ready dependency at start-up is not an error line.
        ["Logging:LogLevel:Microsoft.Extensions.Diagnostics.HealthChecks"] = "Critical",
        ["AllowedHosts"] = "*",
    };
}
