namespace OrderX.Contracts;

public sealed record StockLine(Guid ProductId, int Quantity);
