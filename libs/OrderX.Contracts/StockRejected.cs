namespace OrderX.Contracts;

/// <summary>Nothing was reserved because at least one line could not be; <see cref="Shortages"/> says which and why.</summary>
public sealed record StockRejected(Guid OrderId, IReadOnlyList<StockShortage> Shortages) : IOrderEvent
{
    public static string EventType => "stock.rejected";
}
