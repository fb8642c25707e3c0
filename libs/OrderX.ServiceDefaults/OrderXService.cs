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

    public static IReadOnlyList<OrderXService> Backends { get; } = [User, Product, Order, Payment, Notification];

    /// <summary><c>Ports:&lt;name&gt;</c> overrides the default port, for this service and for everyone who calls it.</summary>
    public int Port(IConfiguration configuration) => configuration.GetValue<int?>($"Ports:{Name}") ?? DefaultPort;

    /// <summary>Where callers reach this service: <c>Services:&lt;name&gt;:Url</c>, else localhost on its port.</summary>
    public Uri Url(IConfiguration configuration) =>
        new(configuration[$"Services:{Name}:Url"] ?? $"http://localhost:{Port(configuration)}");
}
