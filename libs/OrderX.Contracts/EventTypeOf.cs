namespace OrderX.Contracts;

/// <summary>Maps each contract to its routing name: the one place the pairing is written.</summary>
public static class EventTypeOf
{
    private static readonly Dictionary<Type, string> Names = new()
    {
        [typeof(OrderCreated)] = EventTypes.OrderCreated,
        [typeof(PaymentSucceeded)] = EventTypes.PaymentSucceeded,
        [typeof(PaymentFailed)] = EventTypes.PaymentFailed,
        [typeof(OrderCompleted)] = EventTypes.OrderCompleted,
        [typeof(OrderCancelled)] = EventTypes.OrderCancelled,
        [typeof(StockReserved)] = EventTypes.StockReserved,
        [typeof(StockRejected)] = EventTypes.StockRejected,
        [typeof(StockReleased)] = EventTypes.StockReleased,
        [typeof(PaymentRefund)] = EventTypes.PaymentRefund,
        [typeof(PaymentRefunded)] = EventTypes.PaymentRefunded,
    };

    public static string Get<T>() where T : IIntegrationEvent => Get(typeof(T));

    public static string Get(Type eventType) =>
        Names.TryGetValue(eventType, out var name)
            ? name
            : throw new ArgumentException($"{eventType.Name} is not a registered integration event.", nameof(eventType));
}
