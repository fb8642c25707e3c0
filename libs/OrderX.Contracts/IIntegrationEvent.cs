namespace OrderX.Contracts;

/// <summary>An event that crosses a service boundary. The order id is its partition key and CloudEvents subject.</summary>
public interface IIntegrationEvent
{
    Guid OrderId { get; }
}
