namespace OrderX.Contracts;

/// <summary>An event about one order: the order id is its subject, so every event of one order keeps its order in transit.</summary>
public interface IOrderEvent : IIntegrationEvent
{
    Guid OrderId { get; }

    string IIntegrationEvent.Subject => OrderId.ToString();
}
