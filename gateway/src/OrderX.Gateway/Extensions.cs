using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrderX.ServiceDefaults;
using Yarp.ReverseProxy.Transforms;

namespace OrderX.Gateway;

public static class Extensions
{
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        var routes = GatewayRoutes.Build();
        var clusters = GatewayRoutes.Clusters(builder.Configuration);
        builder.Services.AddReverseProxy()
            .LoadFromMemory(routes, clusters)
            .AddTransforms(context => context.AddRequestTransform(transform =>
            {
                // Every service sees the id the gateway chose, so one order's log lines share it end to end.
                if (transform.HttpContext.Items[CorrelationMiddleware.ItemKey] is string correlationId)
                {
                    transform.ProxyRequest.Headers.Remove(CorrelationMiddleware.Header);
                    transform.ProxyRequest.Headers.TryAddWithoutValidation(CorrelationMiddleware.Header, correlationId);
                }
                return ValueTask.CompletedTask;
            }));
        builder.Services.AddHttpClient(BackendsHealthCheck.ClientName, c => c.Timeout = TimeSpan.FromSeconds(2));
        builder.Services.AddHealthChecks().AddCheck<BackendsHealthCheck>("backends", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }
}
