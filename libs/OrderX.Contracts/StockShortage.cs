namespace OrderX.Contracts;

/// <summary>A line that could not be reserved: only <see cref="Available"/> units were left, or the product is not sold.</summary>
public sealed record StockShortage(Guid ProductId, int Requested, int Available, string Reason);
