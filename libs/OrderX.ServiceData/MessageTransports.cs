using OrderX.Messaging.InMemory;
using OrderX.Messaging.Kafka;
using OrderX.Messaging.RabbitMQ;
using OrderX.Messaging.Transport;

namespace OrderX.ServiceData;

/// <summary>The transports a service can be configured with (<c>Messaging:Transport</c>), each its library's own plug-in.</summary>
public static class MessageTransports
{
    public const string Default = "inmemory";

    public static IReadOnlyList<ITransportPlugin> Available { get; } = [InMemoryTransportPlugin.Instance, RabbitMqTransportPlugin.Instance, KafkaTransportPlugin.Instance];

    public static ITransportPlugin Named(string? name)
    {
        var wanted = (name ?? Default).Trim();
        return Available.FirstOrDefault(plugin => plugin.Names.Contains(wanted, StringComparer.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException(
                $"Messaging:Transport '{wanted}' is not supported; use {string.Join(" or ", Available.Select(p => $"'{p.Names[0]}'"))}.");
    }
}
