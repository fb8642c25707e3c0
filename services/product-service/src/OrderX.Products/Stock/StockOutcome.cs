using OrderX.Contracts;

namespace OrderX.Products.Stock;

/// <summary>The answer to a reservation: all lines reserved, or the shortages that prevented it.</summary>
public sealed record StockOutcome(bool IsReserved, IReadOnlyList<StockLine> Lines, IReadOnlyList<StockShortage> Shortages)
{
    public static StockOutcome Reserved(IReadOnlyList<StockLine> lines) => new(true, lines, []);
    public static StockOutcome Rejected(IReadOnlyList<StockShortage> shortages) => new(false, [], shortages);
}
