using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrderX.ServiceDefaults.InProcess;

internal static class InProcessServerExtensions
{
    /// <summary>Serves the service in memory too (<see cref="InProcessServer"/>), beside the server the host chose.</summary>
    internal static IServiceCollection AddInProcessEndpoint(this IServiceCollection services, OrderXService service)
    {
        var server = services.LastOrDefault(d => d.ServiceType == typeof(IServer) && d.ImplementationType is not null)
            ?? throw new InvalidOperationException("The host registered no server type to serve beside.");
        services.Remove(server);
        services.AddSingleton(server.ImplementationType!);
        services.AddSingleton<IServer>(provider => new InProcessServer(
            service,
            (IServer)provider.GetRequiredService(server.ImplementationType!),
            new TestServer(provider, Options.Create(new TestServerOptions()))));
        return services;
    }
}
