using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.RabbitMQ;

/// <summary><c>Messaging:Transport=rabbitmq</c>, with its settings under <c>RabbitMQ:</c>.</summary>
public sealed class RabbitMqTransportPlugin : ITransportPlugin
{
    public static readonly RabbitMqTransportPlugin Instance = new();

    public IReadOnlyList<string> Names { get; } = ["rabbitmq"];

    public void Register(IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        services.Configure<RabbitMqOptions>(configuration.GetSection(RabbitMqOptions.Section));
        // The connection's name in the management UI says which process holds it.
        services.AddSingleton<IMessageTransport>(provider => new RabbitMqTransport(
            provider.GetRequiredService<IOptions<RabbitMqOptions>>(),
            provider.GetRequiredService<ILogger<RabbitMqTransport>>(),
            $"orderx-{serviceName}@{Environment.MachineName}:{Environment.ProcessId}"));
        services.AddSingleton<IDeadLetterStore>(provider => new DeadLetterQueues(provider.GetRequiredService<IOptions<RabbitMqOptions>>().Value));
        services.AddSingleton<IBusWatch>(provider => new RabbitMqBusWatch(provider.GetRequiredService<IOptions<RabbitMqOptions>>().Value));
    }
}
