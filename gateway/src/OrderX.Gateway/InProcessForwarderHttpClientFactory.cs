using Microsoft.Extensions.Logging;
using OrderX.ServiceDefaults.InProcess;
using Yarp.ReverseProxy.Forwarder;

namespace OrderX.Gateway;

/// <summary>
/// In the all-in-one, a cluster whose service runs in this process is reached through its pipeline in memory
/// (<see cref="InProcessEndpoints"/>): no loopback connection, HTTP/2 framing or second server per request. A service
/// left out of the process (<c>AllInOne:Without</c>) is reached over the network as usual.
/// </summary>
internal sealed class InProcessForwarderHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger) : IForwarderHttpClientFactory
{
    private readonly ForwarderHttpClientFactory _network = new(logger);

    public HttpMessageInvoker CreateClient(ForwarderHttpClientContext context) =>
        InProcessEndpoints.Of(context.ClusterId) is { } pipeline
            ? new HttpMessageInvoker(pipeline, disposeHandler: false)
            : _network.CreateClient(context);
}
