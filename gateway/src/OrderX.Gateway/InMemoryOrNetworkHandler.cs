using System.Diagnostics;
using OrderX.ServiceDefaults.InProcess;

namespace OrderX.Gateway;

/// <summary>
/// Sends a request to the service's pipeline in memory while the service runs in this process, and over the network
/// (the inner handler) otherwise: before the service has started, after it has stopped, or when it was left out of the
/// all-in-one.
/// </summary>
internal sealed class InMemoryOrNetworkHandler(string serviceName, HttpMessageHandler network) : DelegatingHandler(network)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (InProcessEndpoints.Of(serviceName) is not { } pipeline)
            return base.SendAsync(request, cancellationToken);
        // Over the network the socket handler puts the gateway's span in the trace headers, in place of the caller's
        // that YARP copied; in memory nothing else does, and the service's span would hang under the caller's.
        if (Activity.Current is { } activity)
            DistributedContextPropagator.Current.Inject(activity, request, ReplaceHeader);
        return pipeline.SendAsync(request, cancellationToken);
    }

    private static void ReplaceHeader(object? carrier, string name, string value)
    {
        var request = (HttpRequestMessage)carrier!;
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
    }
}
