using Microsoft.Extensions.Logging;
using OrderX.ServiceDefaults.InProcess;
using Yarp.ReverseProxy.Forwarder;

namespace OrderX.Gateway;

/// <summary>
/// In the all-in-one, a cluster whose service runs in this process is reached through its pipeline in memory
/// (<see cref="InProcessEndpoints"/>): no loopback connection, HTTP/2 framing or second server per request. A service
/// left out of the process (<c>AllInOne:Without</c>) is reached over the network as usual.
/// </summary>
internal sealed class InProcessForwarderHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger) : ForwarderHttpClientFactory(logger)
{
    // YARP creates its clients when it loads the routes, while the all-in-one builds its parts and before it starts any
    // service, so the service's pipeline is looked up when a request is sent, not here.
    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        new InMemoryOrNetworkHandler(context.ClusterId, base.WrapHandler(context, handler));
}
