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
        app.UseOrderXDefaults();
        app.MapReverseProxy();
        return app;
    }
}
