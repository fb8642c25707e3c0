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

    private static readonly ConcurrentDictionary<string, HttpMessageInvoker> Pipelines = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether this process is the all-in-one and its gateway forwards to its services in memory.</summary>
    public static bool AreUsed(IConfiguration configuration) =>
        configuration.GetValue<bool>(TelemetryExtensions.AllInOneKey) && configuration.GetValue(ForwardInMemoryKey, true);

    internal static void Register(OrderXService service, HttpMessageInvoker pipeline) => Pipelines[service.Name] = pipeline;

    internal static void Unregister(OrderXService service, HttpMessageInvoker pipeline) =>
        Pipelines.TryRemove(new KeyValuePair<string, HttpMessageInvoker>(service.Name, pipeline));

    /// <summary>The running service's pipeline; null when the service is not in this process or not running.</summary>
    public static HttpMessageInvoker? Of(string serviceName) => Pipelines.TryGetValue(serviceName, out var pipeline) ? pipeline : null;
}
