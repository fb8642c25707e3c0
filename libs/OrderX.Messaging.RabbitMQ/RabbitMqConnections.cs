using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace OrderX.Messaging.RabbitMQ;

/// <summary>How every OrderX client of the broker connects, and which failures mean the broker is away.</summary>
public static class RabbitMqConnections
{
    /// <summary>A factory for <paramref name="options"/>' broker, the connection named <paramref name="clientName"/> in the management UI.</summary>
    public static ConnectionFactory Factory(RabbitMqOptions options, string clientName) => new()
    {
        HostName = options.Host,
        Port = options.Port,
        UserName = options.UserName,
        Password = options.Password,
        VirtualHost = options.VirtualHost,
        ClientProvidedName = clientName,
    };

    public static bool IsUnavailable(Exception error) =>
        error is BrokerUnreachableException or OperationInterruptedException or AlreadyClosedException or IOException;
}
