namespace OrderX.Contracts;

/// <summary>
/// An event that crosses a service boundary. Its wire name (the CloudEvents type, RabbitMQ routing key, Kafka
/// topic) is part of its own definition, so adding an event is one record; <see cref="Subject"/> is the envelope's
/// subject and the partition key that keeps related events in order.
/// </summary>
public interface IIntegrationEvent
{
    static abstract string EventType { get; }

    string Subject { get; }
}
