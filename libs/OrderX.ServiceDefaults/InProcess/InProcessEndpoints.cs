using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;

namespace OrderX.ServiceDefaults.InProcess;

/// <summary>
/// In the all-in-one, the request pipelines of the services running in this process, reachable without a socket: the
/// gateway forwards to them in memory instead of through a loopback connection, a server and a client of its own.
/// </summary>
public static class InProcessEndpoints
{
    /// <summary><c>AllInOne:ForwardInMemory=false</c> has the all-in-one's gateway forward over loopback sockets instead.</summary>
    public const string ForwardInMemoryKey = "AllInOne:ForwardInMemory";

    private static readonly ConcurrentDictionary<string, HttpMessageHandler> Handlers = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether this process is the all-in-one and its gateway forwards to its services in memory.</summary>
    public static bool AreUsed(IConfiguration configuration) =>
        configuration.GetValue<bool>(TelemetryExtensions.AllInOneKey) && configuration.GetValue(ForwardInMemoryKey, true);

    internal static void Register(OrderXService service, HttpMessageHandler handler) => Handlers[service.Name] = handler;

    internal static void Unregister(OrderXService service, HttpMessageHandler handler) =>
        Handlers.TryRemove(new KeyValuePair<string, HttpMessageHandler>(service.Name, handler));

    /// <summary>The running service's pipeline as a handler; null when the service is not in this process or not running.</summary>
    public static HttpMessageHandler? Of(string serviceName) => Handlers.TryGetValue(serviceName, out var handler) ? handler : null;
}
