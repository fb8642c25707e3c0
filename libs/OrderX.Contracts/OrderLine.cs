namespace OrderX.Contracts;

public sealed record OrderLine(Guid ProductId, string ProductName, int Quantity, decimal UnitPrice);
