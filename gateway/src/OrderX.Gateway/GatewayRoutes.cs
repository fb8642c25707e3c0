using Microsoft.Extensions.Configuration;
using OrderX.ServiceDefaults;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace OrderX.Gateway;

/// <summary>The public surface: which path prefix goes to which service. Destinations come from <c>Services:&lt;name&gt;:Url</c> / <c>Ports:&lt;name&gt;</c>.</summary>
public static class GatewayRoutes
{
    private static readonly (string RouteId, string Path, OrderXService Service)[] Table =
    [
        ("users", "/api/users/{**rest}", OrderXService.User),
        ("products", "/api/products/{**rest}", OrderXService.Product),
        ("orders", "/api/orders/{**rest}", OrderXService.Order),
        ("orders-seed", "/order/{**rest}", OrderXService.Order),
        ("payments", "/api/payments/{**rest}", OrderXService.Payment),
        ("notifications", "/api/notifications/{**rest}", OrderXService.Notification),
    ];

    public static IReadOnlyList<RouteConfig> Build() =>
    [
        .. Table.Select(r => new RouteConfig { RouteId = r.RouteId, ClusterId = r.Service.Name, Match = new RouteMatch { Path = r.Path } }),
        // /health/live/<service>: each service's liveness through the proxy, for operators and the gateway benchmark.
        .. OrderXService.Backends.Select(service => new RouteConfig
        {
            RouteId = $"health-{service.Name}",
            ClusterId = service.Name,
            Match = new RouteMatch { Path = $"/health/live/{service.Name}" },
            Transforms = [new Dictionary<string, string> { ["PathSet"] = "/health/live" }],
        }),
    ];

    public static IReadOnlyList<ClusterConfig> Clusters(IConfiguration configuration) =>
        OrderXService.Backends.Select(service => new ClusterConfig
        {
            ClusterId = service.Name,
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(30) },
            Destinations = new Dictionary<string, DestinationConfig>
            {
                [service.Name] = new() { Address = service.Url(configuration).ToString() },
            },
        }).ToList();
}
