using Microsoft.Extensions.Configuration;

namespace OrderX.ServiceDefaults;

/// <summary>A deployable part of OrderX: its name (config keys, database, queues) and its default local port.</summary>
public sealed record OrderXService(string Name, int DefaultPort)
{
    public static readonly OrderXService Gateway = new("gateway", 8080);
    public static readonly OrderXService User = new("user", 5101);
    public static readonly OrderXService Product = new("product", 5102);
    public static readonly OrderXService Order = new("order", 5103);
    public static readonly OrderXService Payment = new("payment", 5104);
    public static readonly OrderXService Notification = new("notification", 5105);
    /// <summary>The storefront and the operator's console: pages served through the gateway, calling the services.</summary>
    public static readonly OrderXService Web = new("web", 5106);

    public static IReadOnlyList<OrderXService> Backends { get; } = [User, Product, Order, Payment, Notification];

    /// <summary><c>Ports:&lt;name&gt;</c> overrides the default port, for this service and for everyone who calls it.</summary>
    public int Port(IConfiguration configuration) => configuration.GetValue<int?>($"Ports:{Name}") ?? DefaultPort;

    /// <summary>Where callers reach this service: <c>Services:&lt;name&gt;:Url</c>, else localhost on its port.</summary>
    public Uri Url(IConfiguration configuration) =>
        new(configuration[$"Services:{Name}:Url"] ?? $"http://localhost:{Port(configuration)}");

    /// <summary>
    /// The second, HTTP/2-only port a service opens for the gateway and its fellow services when it chooses its own
    /// listeners (local runs): <c>Http2Ports:&lt;name&gt;</c>, else its port + 100; 0 opens none.
    /// </summary>
    public int Http2Port(IConfiguration configuration) =>
        configuration.GetValue<int?>($"Http2Ports:{Name}") is { } port ? port
        : Port(configuration) is > 0 and var http1 ? http1 + 100 : 0;

    /// <summary>
    /// The port that alone answers <c>/metrics</c> (Prometheus text): <c>MetricsPorts:&lt;name&gt;</c>, else 9464 for the
    /// gateway, whose own port is public, and 0 for the services, which answer it on their port (the gateway does not
    /// route it). A local run opens it; in containers, list it in <c>ASPNETCORE_HTTP_PORTS</c>.
    /// </summary>
    public int MetricsPort(IConfiguration configuration) =>
        configuration.GetValue<int?>($"MetricsPorts:{Name}") ?? (this == Gateway ? 9464 : 0);

    /// <summary>
    /// Where the gateway and the other services reach this service over cleartext HTTP/2:
    /// <c>Services:&lt;name&gt;:Http2Url</c>, else localhost on <see cref="Http2Port"/> when the service is local
    /// (no <c>Services:&lt;name&gt;:Url</c>); null means HTTP/1.1 to <see cref="Url"/>.
    /// </summary>
    public Uri? Http2Url(IConfiguration configuration) =>
        configuration[$"Services:{Name}:Http2Url"] is { Length: > 0 } url ? new(url)
        : configuration[$"Services:{Name}:Url"] is null && Http2Port(configuration) is > 0 and var port ? new($"http://localhost:{port}")
        : null;
}
