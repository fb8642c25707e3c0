using Microsoft.AspNetCore.Builder;
using OrderX.ServiceDefaults;

namespace OrderX.Gateway;

public static class GatewayHost
{
    public static WebApplication Build(string[] args) => Build(args, configure: null);

    /// <param name="configure">Last changes before the app is built (the tests add a log recorder).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure)
    {
        var builder = OrderXBuilder.CreateBuilder(OrderXService.Gateway, args);
        builder.AddGateway();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseOrderXDefaults(beforeAuthentication: edge =>
        {
            edge.UseSecurityHeaders();
            edge.UseBodyLimit();
            // Before authentication: a browser's preflight carries no token.
            edge.UseCors(Extensions.CorsPolicy);
        });
        app.UseRateLimiter();
        app.MapApiReference();
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
