using OrderX.Products.Data;

namespace OrderX.Products.Apis;

public sealed record ProductDto(Guid Id, string Name, string Description, decimal Price, string Currency, int Stock)
{
    public static ProductDto From(Product p) => new(p.Id, p.Name, p.Description, p.Price, p.Currency, p.Stock);
}

public sealed record CreateProductRequest(string? Name, string? Description, decimal? Price, string? Currency, int? Stock);
