namespace OrderX.Contracts;

/// <summary>Every line of the order is reserved; the reservation becomes a sale on order.completed.</summary>
public sealed record StockReserved(Guid OrderId, IReadOnlyList<StockLine> Lines) : IOrderEvent
{
    public static string EventType => "stock.reserved";
}
