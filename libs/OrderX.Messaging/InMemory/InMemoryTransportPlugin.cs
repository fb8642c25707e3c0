using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.InMemory;

/// <summary><c>Messaging:Transport=inmemory</c>: the process-wide bus every part of one all-in-one process shares.</summary>
public sealed class InMemoryTransportPlugin : ITransportPlugin
{
    public static readonly InMemoryTransportPlugin Instance = new();

    public IReadOnlyList<string> Names { get; } = ["inmemory", "in-memory"];

    public void Register(IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        services.AddSingleton<IMessageTransport>(_ => new InMemoryTransport(InMemoryBroker.Shared));
        services.AddSingleton<IDeadLetterStore>(new InMemoryDeadLetterStore(InMemoryBroker.Shared));
        services.AddSingleton<IBusWatch>(new InMemoryBusWatch(InMemoryBroker.Shared));
    }
}
