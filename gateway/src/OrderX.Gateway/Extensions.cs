using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;
using OrderX.ServiceDefaults.InProcess;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Transforms;

namespace OrderX.Gateway;

public static class Extensions
{
    public const string CorsPolicy = "web-ui";

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(GatewayOptions.Section).Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewayOptions.Section));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
        });
        var routes = GatewayRoutes.Build();
        var clusters = GatewayRoutes.Clusters(builder.Configuration, settings.BackendTimeout);
        builder.Services.AddReverseProxy()
            .LoadFromMemory(routes, clusters)
            .AddTransforms(context => context.AddResponseHeaderRemove("Server").AddRequestTransform(transform =>
            {
                // Every service sees the id the gateway chose, so one order's log lines share it end to end.
                if (transform.HttpContext.Items[CorrelationMiddleware.ItemKey] is string correlationId)
                {
                    transform.ProxyRequest.Headers.Remove(CorrelationMiddleware.Header);
                    transform.ProxyRequest.Headers.TryAddWithoutValidation(CorrelationMiddleware.Header, correlationId);
                }
                return ValueTask.CompletedTask;
            }));
        // The all-in-one's services are in this process: forwarded to in memory, not through a loopback socket.
        if (InProcessEndpoints.AreUsed(builder.Configuration))
            builder.Services.Replace(ServiceDescriptor.Singleton<IForwarderHttpClientFactory, InProcessForwarderHttpClientFactory>());
        builder.AddOrderXAuthentication();
        builder.Services.AddRateLimiter(options => GatewayRateLimits.Configure(options, settings.RateLimits));
        builder.Services.AddCors(options => options.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins(settings.CorsOrigins)
            .WithMethods("GET", "POST", "PUT", "DELETE")
            .WithHeaders("Authorization", "Content-Type", "Idempotency-Key", "If-Match", "If-None-Match", CorrelationMiddleware.Header)
            .WithExposedHeaders("ETag", "Location", "Retry-After", "Idempotent-Replayed", CorrelationMiddleware.Header)
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));
        builder.Services.AddHttpClient(BackendsHealthCheck.ClientName, c => c.Timeout = TimeSpan.FromSeconds(2));
        // In the health report, not in readiness: the gateway is ready while it can route, whichever service is down.
        builder.Services.AddHealthChecks().AddCheck<BackendsHealthCheck>("backends");
        return builder;
    }
}
