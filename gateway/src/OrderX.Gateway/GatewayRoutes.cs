using System.Net;
using Microsoft.Extensions.Configuration;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace OrderX.Gateway;

/// <summary>
/// The public surface: which path goes to which service, and who may call it. The gateway checks tokens on the
/// protected routes; the services check them again. Destinations come from <c>Services:&lt;name&gt;:Url</c> / <c>Ports:&lt;name&gt;</c>.
/// </summary>
public static class GatewayRoutes
{
    private const string Anonymous = "anonymous";
    private static readonly string[] Reads = ["GET", "HEAD"];
    private static readonly string[] Writes = ["POST", "PUT", "PATCH", "DELETE"];

    private static readonly (string RouteId, string Path, string[]? Methods, OrderXService Service, string Policy)[] Table =
    [
        ("register", "/api/users/register", null, OrderXService.User, Anonymous),
        ("login", "/api/users/login", null, OrderXService.User, Anonymous),
        ("refresh", "/api/users/refresh", null, OrderXService.User, Anonymous),
        ("logout", "/api/users/logout", null, OrderXService.User, Anonymous),
        ("issuer-keys", "/.well-known/{**rest}", null, OrderXService.User, Anonymous),
        ("users", "/api/users/{**rest}", null, OrderXService.User, OrderXPolicies.Customer),
        ("catalog", "/api/products/{**rest}", Reads, OrderXService.Product, Anonymous),
        ("catalog-admin", "/api/products/{**rest}", Writes, OrderXService.Product, OrderXPolicies.Admin),
        ("orders", "/api/orders/{**rest}", null, OrderXService.Order, OrderXPolicies.Customer),
        ("orders-seed", "/order/{**rest}", null, OrderXService.Order, OrderXPolicies.Customer),
        ("payments", "/api/payments/{**rest}", null, OrderXService.Payment, OrderXPolicies.Customer),
        ("notifications", "/api/notifications/{**rest}", null, OrderXService.Notification, OrderXPolicies.Customer),
    ];

    /// <summary>The web front's pages, its form posts, the order page's event stream and its assets.</summary>
    public static readonly string[] WebPaths = ["/", "/cart/{**rest}", "/account/{**rest}", "/orders/{**rest}", "/console/{**rest}", "/assets/{**rest}"];

    public static IReadOnlyList<RouteConfig> Build() =>
    [
        .. Table.Select((r, index) => new RouteConfig
        {
            RouteId = r.RouteId,
            ClusterId = r.Service.Name,
            // Listed first wins: the exact account routes before /api/users/{**rest}.
            Order = index,
            AuthorizationPolicy = r.Policy,
            Match = new RouteMatch { Path = r.Path, Methods = r.Methods },
        }),
        // /health/live/<service>: each service's liveness through the proxy, for operators and the gateway benchmark.
        .. OrderXService.Backends.Select(service => new RouteConfig
        {
            RouteId = $"health-{service.Name}",
            ClusterId = service.Name,
            AuthorizationPolicy = Anonymous,
            Match = new RouteMatch { Path = $"/health/live/{service.Name}" },
            Transforms = [new Dictionary<string, string> { ["PathSet"] = "/health/live" }],
        }),
        // /openapi/<service>.json: each service's OpenAPI document, which the reference at /docs reads.
        .. OrderXService.Backends.Select(service => new RouteConfig
        {
            RouteId = $"openapi-{service.Name}",
            ClusterId = service.Name,
            AuthorizationPolicy = Anonymous,
            Match = new RouteMatch { Path = DocumentPath(service), Methods = Reads },
            Transforms = [new Dictionary<string, string> { ["PathSet"] = OpenApiDocuments.Path }],
        }),
        // The web front checks its own session cookie; the services check the tokens it sends them.
        .. WebPaths.Select((path, index) => new RouteConfig
        {
            RouteId = $"web-{index}",
            ClusterId = OrderXService.Web.Name,
            Order = Table.Length + index,
            AuthorizationPolicy = Anonymous,
            Match = new RouteMatch { Path = path },
        }),
    ];

    /// <summary>Where the gateway serves a service's OpenAPI document.</summary>
    public static string DocumentPath(OrderXService service) => $"/openapi/{service.Name}.json";

    /// <summary>The public routes, as (path pattern, methods or null for all, service): what the documents must cover.</summary>
    public static IEnumerable<(string Path, string[]? Methods, OrderXService Service)> PublicRoutes =>
        Table.Select(r => (r.Path, r.Methods, r.Service));

    /// <summary>
    /// One cluster per service: over cleartext HTTP/2 where the service offers it (<see cref="OrderXService.Http2Url"/>),
    /// with more connections once one carries its limit of streams (long polls hold theirs), else HTTP/1.1.
    /// </summary>
    public static IReadOnlyList<ClusterConfig> Clusters(IConfiguration configuration, TimeSpan backendTimeout) =>
    [
        .. OrderXService.Backends.Select(service =>
        {
            var http2 = service.Http2Url(configuration);
            return new ClusterConfig
            {
                ClusterId = service.Name,
                HttpRequest = new ForwarderRequestConfig
                {
                    ActivityTimeout = backendTimeout,
                    Version = http2 is null ? null : HttpVersion.Version20,
                    VersionPolicy = http2 is null ? null : HttpVersionPolicy.RequestVersionExact,
                },
                HttpClient = new HttpClientConfig { EnableMultipleHttp2Connections = true },
                Destinations = new Dictionary<string, DestinationConfig>
                {
                    [service.Name] = new() { Address = (http2 ?? service.Url(configuration)).ToString() },
                },
            };
        }),
        // Browsers' pages over HTTP/1.1: the web front opens no HTTP/2-only port.
        new ClusterConfig
        {
            ClusterId = OrderXService.Web.Name,
            HttpRequest = new ForwarderRequestConfig { ActivityTimeout = backendTimeout },
            Destinations = new Dictionary<string, DestinationConfig>
            {
                [OrderXService.Web.Name] = new() { Address = OrderXService.Web.Url(configuration).ToString() },
            },
        },
    ];
}
