using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Kafka;

/// <summary><c>Messaging:Transport=kafka</c>, with its settings under <c>Kafka:</c>.</summary>
public sealed class KafkaTransportPlugin : ITransportPlugin
{
    public static readonly KafkaTransportPlugin Instance = new();

    public IReadOnlyList<string> Names { get; } = ["kafka"];

    public void Register(IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        services.Configure<KafkaOptions>(configuration.GetSection(KafkaOptions.Section));
        services.AddSingleton<IMessageTransport>(provider => new KafkaTransport(
            provider.GetRequiredService<IOptions<KafkaOptions>>(),
            provider.GetRequiredService<ILogger<KafkaTransport>>(),
            $"orderx-{serviceName}@{Environment.MachineName}:{Environment.ProcessId}"));
        services.AddSingleton<IDeadLetterStore>(provider => new KafkaDeadLetterStore(provider.GetRequiredService<IOptions<KafkaOptions>>().Value));
        services.AddSingleton<IBusWatch>(provider => new KafkaBusWatch(provider.GetRequiredService<IOptions<KafkaOptions>>().Value));
    }
}
