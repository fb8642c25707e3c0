namespace OrderX.Contracts;

/// <summary>The reservation of a cancelled order went back to the shelf.</summary>
public sealed record StockReleased(Guid OrderId, IReadOnlyList<StockLine> Lines) : IOrderEvent
{
    public static string EventType => "stock.released";
}
