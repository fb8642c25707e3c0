using Microsoft.AspNetCore.Builder;
using OrderX.ServiceDefaults;

namespace OrderX.Gateway;

public static class GatewayHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = OrderXBuilder.CreateBuilder(OrderXService.Gateway, args);
        builder.AddGateway();
        var app = builder.Build();
        app.UseOrderXDefaults(beforeAuthentication: edge =>
        {
            edge.UseSecurityHeaders();
            edge.UseBodyLimit();
            // Before authentication: a browser's preflight carries no token.
            edge.UseCors(Extensions.CorsPolicy);
        });
        app.UseRateLimiter();
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(EdgeMiddleware.ExplainUpstreamErrorsAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
