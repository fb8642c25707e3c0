using OrderX.Products.Data;

namespace OrderX.Products.Apis;

public sealed record ProductDto(
    Guid Id,
    string Name,
    string Description,
    decimal Price,
    string Currency,
    int Stock,
    int Reserved,
    int Available,
    bool Deleted,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static ProductDto From(Product p) => new(
        p.Id, p.Name, p.Description, p.Price, p.Currency, p.Stock, p.Reserved, p.Available, p.DeletedAt is not null, p.CreatedAt, p.UpdatedAt);
}
