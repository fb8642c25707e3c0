using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.TestHost;

namespace OrderX.ServiceDefaults.InProcess;

/// <summary>
/// The service's own server (Kestrel, on its ports, for everyone outside the process) and, on the same request
/// pipeline, an in-memory one for the gateway of the all-in-one (<see cref="InProcessEndpoints"/>). The in-memory
/// server is ASP.NET Core's TestHost: it runs each request through the pipeline as Kestrel would, with the request
/// body and the response streamed, and aborts the request when the caller gives up.
/// </summary>
internal sealed class InProcessServer(OrderXService service, IServer sockets, TestServer memory) : IServer
{
    private HttpMessageInvoker? _pipeline;

    public IFeatureCollection Features => sockets.Features;

    public async Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull
    {
        await sockets.StartAsync(application, cancellationToken);
        await ((IServer)memory).StartAsync(new FromLoopback<TContext>(application), cancellationToken);
        _pipeline = new HttpMessageInvoker(memory.CreateHandler());
        InProcessEndpoints.Register(service, _pipeline);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Unregister();
        await ((IServer)memory).StopAsync(cancellationToken);
        await sockets.StopAsync(cancellationToken);
    }

    // A host disposed without being stopped first must not leave its pipeline to be found by a gateway.
    public void Dispose()
    {
        Unregister();
        memory.Dispose();
        sockets.Dispose();
    }

    private void Unregister()
    {
        if (_pipeline is not null)
            InProcessEndpoints.Unregister(service, _pipeline);
    }

    // A request in memory has no connection; it gets the one a loopback socket from the gateway would have, so the
    // forwarded-headers middleware trusts the gateway's X-Forwarded-For as it does over the network (the user service
    // throttles logins by that address).
    private sealed class FromLoopback<TContext>(IHttpApplication<TContext> inner) : IHttpApplication<TContext> where TContext : notnull
    {
        public TContext CreateContext(IFeatureCollection contextFeatures)
        {
            contextFeatures.Set<IHttpConnectionFeature>(new HttpConnectionFeature
            {
                ConnectionId = Guid.NewGuid().ToString("N"),
                RemoteIpAddress = IPAddress.Loopback,
                LocalIpAddress = IPAddress.Loopback,
            });
            return inner.CreateContext(contextFeatures);
        }

        public Task ProcessRequestAsync(TContext context) => inner.ProcessRequestAsync(context);

        public void DisposeContext(TContext context, Exception? exception) => inner.DisposeContext(context, exception);
    }
}
