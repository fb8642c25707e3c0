using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using OrderX.Products.Data;
using OrderX.ServiceDefaults;

namespace OrderX.Products.Apis;

public static class ProductsApi
{
    private const int MaxIdsPerLookup = 100;

    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/api/products");
        products.MapPost("/", CreateProduct);
        products.MapGet("/", ListProducts);
        products.MapGet("/{id:guid}", GetProduct);
        return app;
    }

    public static async Task<Results<Created<ProductDto>, ValidationProblem>> CreateProduct(
        CreateProductRequest request, ProductsDbContext db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = request.Name?.Trim() ?? "";
        var currency = (request.Currency ?? "EUR").Trim().ToUpperInvariant();
        if (name.Length is 0 or > 200 || name.Any(char.IsControl))
            errors.Add("name", "A name of 1 to 200 printable characters is required.");
        if (request.Description is { Length: > 2000 })
            errors.Add("description", "The description is limited to 2000 characters.");
        if (request.Price is not { } price || price <= 0 || price > 1_000_000 || decimal.Round(price, 2) != price)
            errors.Add("price", "A price above 0 and at most 1,000,000 with at most two decimals is required.");
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterUpper))
            errors.Add("currency", "The currency is a three-letter ISO 4217 code.");
        if (request.Stock is not { } stock || stock < 0)
            errors.Add("stock", "Stock is required and cannot be negative.");
        if (errors.Any)
            return errors.ToResult();

        var product = new Product
        {
            Id = Guid.CreateVersion7(),
            Name = name,
            Description = request.Description?.Trim() ?? "",
            Price = request.Price!.Value,
            Currency = currency,
            Stock = request.Stock!.Value,
            CreatedAt = DateTime.UtcNow,
        };
        db.Products.Add(product);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/products/{product.Id}", ProductDto.From(product));
    }

    /// <summary>The catalog, or with <c>?ids=a,b</c> just those products (the order service's batch lookup).</summary>
    public static async Task<Results<Ok<List<ProductDto>>, ValidationProblem>> ListProducts(
        string? ids, ProductsDbContext db, CancellationToken cancellationToken)
    {
        var query = db.Products.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(ids))
        {
            var parts = ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var parsed = parts.Select(p => Guid.TryParse(p, out var g) ? g : (Guid?)null).ToList();
            if (parsed.Any(g => g is null) || parsed.Count > MaxIdsPerLookup)
            {
                var errors = new ValidationErrors();
                errors.Add("ids", $"ids is a comma-separated list of at most {MaxIdsPerLookup} product ids.");
                return errors.ToResult();
            }
            var wanted = parsed.Select(g => g!.Value).Distinct().ToList();
            query = query.Where(p => wanted.Contains(p.Id));
        }
        var products = await query.OrderBy(p => p.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok(products.Select(ProductDto.From).ToList());
    }

    public static async Task<Results<Ok<ProductDto>, ProblemHttpResult>> GetProduct(Guid id, ProductsDbContext db, CancellationToken cancellationToken)
    {
        var product = await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return product is null ? Problems.NotFound($"Product {id} does not exist.") : TypedResults.Ok(ProductDto.From(product));
    }
}
