namespace OrderX.Messaging.Transport;

/// <summary>One durable queue per (service, event): instances of the same service compete on it.</summary>
public sealed record Subscription(string Service, string EventType)
{
    public string QueueName => $"{Service}.{EventType}";
}
