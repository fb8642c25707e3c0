using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using OrderX.ServiceDefaults;
using Scalar.AspNetCore;

namespace OrderX.Gateway;

/// <summary>
/// The interactive API reference (Scalar) at <c>/docs</c>: one document per service, read through the gateway's
/// <c>/openapi/&lt;service&gt;.json</c> routes, whose requests ("try it") go to this same gateway. Everything it loads
/// is served from here: the page works without any other site.
/// </summary>
public static class ApiReference
{
    public const string Path = "/docs";

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        app.MapScalarApiReference(Path, options =>
        {
            options.Title = "OrderX API";
            options.DefaultFonts = false;
            foreach (var service in OrderXService.Backends)
                options.AddDocument(service.Name, $"{service.Name} service", GatewayRoutes.DocumentPath(service), isDefault: service == OrderXService.Order);
        }).AllowAnonymous();
        return app;
    }
}
