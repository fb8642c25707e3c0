using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using OrderX.Products.Data;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;

namespace OrderX.Products.Apis;

/// <summary>
/// The catalog. Customers list and read; create, update and delete are the admin's (updates need the
/// <c>ETag</c> they read in <c>If-Match</c>, so two admins cannot overwrite each other's change unseen).
/// </summary>
public static class ProductsApi
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        var products = app.MapGroup("/api/products");
        products.MapGet("/", ListProducts);
        products.MapGet("/{id:guid}", GetProduct);
        products.MapPost("/", CreateProduct).RequireAuthorization(OrderXPolicies.Admin);
        products.MapPut("/{id:guid}", UpdateProduct).RequireAuthorization(OrderXPolicies.Admin);
        products.MapDelete("/{id:guid}", DeleteProduct).RequireAuthorization(OrderXPolicies.Admin);
        return app;
    }

    public static async Task<Results<Created<ProductDto>, ValidationProblem>> CreateProduct(
        ProductRequest request, ProductsDbContext db, TimeProvider clock, HttpContext context, CancellationToken cancellationToken)
    {
        if (Validate(request) is { } invalid)
            return invalid;
        var now = clock.GetUtcNow().UtcDateTime;
        var product = new Product { Id = Guid.CreateVersion7(), Name = "", CreatedAt = now };
        Apply(request, product, now);
        db.Products.Add(product);
        await db.SaveChangesAsync(cancellationToken);
        ETags.Set(context, product);
        return TypedResults.Created($"/api/products/{product.Id}", ProductDto.From(product));
    }

    public static async Task<Results<Ok<ProductPage>, ValidationProblem>> ListProducts(
        [AsParameters] ProductQuery query, ProductsDbContext db, CancellationToken cancellationToken)
    {
        if (query.Validate(out var ids) is { } invalid)
            return invalid;
        var matches = query.Apply(db.Products.AsNoTracking(), ids);
        if (ids.Count > 0)
        {
            // The order service's look-up for every order: answered whole on one page, so no count query is needed.
            var found = await matches.ToListAsync(cancellationToken);
            return TypedResults.Ok(new ProductPage(found.Select(ProductDto.From).ToList(), 1, ProductQuery.MaxPageSize, found.Count));
        }
        var (page, size) = (query.PageNumber, query.Size);
        var total = await matches.CountAsync(cancellationToken);
        var items = await matches.Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return TypedResults.Ok(new ProductPage(items.Select(ProductDto.From).ToList(), page, size, total));
    }

    public static async Task<Results<Ok<ProductDto>, StatusCodeHttpResult, ProblemHttpResult>> GetProduct(
        Guid id, bool? includeDeleted, ProductsDbContext db, HttpContext context, CancellationToken cancellationToken)
    {
        var product = await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (product is null || (product.DeletedAt is not null && includeDeleted != true))
            return Problems.NotFound($"Product {id} does not exist.");
        ETags.Set(context, product);
        if (ETags.Matches(context.Request.Headers.IfNoneMatch, product))
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        return TypedResults.Ok(ProductDto.From(product));
    }

    /// <summary>Replaces the product's fields. Needs <c>If-Match</c>: 428 without it, 412 when the product changed since.</summary>
    public static async Task<Results<Ok<ProductDto>, ValidationProblem, ProblemHttpResult>> UpdateProduct(
        Guid id, ProductRequest request, ProductsDbContext db, TimeProvider clock, HttpContext context, CancellationToken cancellationToken)
    {
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(ifMatch))
            return PreconditionRequired();
        if (Validate(request) is { } invalid)
            return invalid;
        var product = await db.Products.FirstOrDefaultAsync(p => p.Id == id && p.DeletedAt == null, cancellationToken);
        if (product is null)
            return Problems.NotFound($"Product {id} does not exist.");
        if (!ETags.Matches(ifMatch, product))
            return PreconditionFailed(product);
        if (request.Stock < product.Reserved)
            return Problems.Unprocessable(
                $"Stock cannot go below the {product.Reserved} unit(s) reserved for pending orders.",
                new Dictionary<string, object?> { ["reserved"] = product.Reserved });

        Apply(request, product, clock.GetUtcNow().UtcDateTime);
        product.Version++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The tag matched when read, but an order's reservation or another admin got there first.
            return PreconditionFailed(null);
        }
        ETags.Set(context, product);
        return TypedResults.Ok(ProductDto.From(product));
    }

    /// <summary>Soft delete: the product leaves the catalog and cannot be ordered; orders and history keep it.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteProduct(
        Guid id, ProductsDbContext db, TimeProvider clock, HttpContext context, CancellationToken cancellationToken)
    {
        var product = await db.Products.FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (product is null)
            return Problems.NotFound($"Product {id} does not exist.");
        if (product.DeletedAt is not null)
            return TypedResults.NoContent();
        var ifMatch = context.Request.Headers.IfMatch.ToString();
        if (!string.IsNullOrWhiteSpace(ifMatch) && !ETags.Matches(ifMatch, product))
            return PreconditionFailed(product);
        product.DeletedAt = product.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        product.Version++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return PreconditionFailed(null);
        }
        return TypedResults.NoContent();
    }

    private static ValidationProblem? Validate(ProductRequest request)
    {
        var errors = new ValidationErrors();
        var currency = (request.Currency ?? "EUR").Trim();
        if (TextRules.CleanName(request.Name, 200) is null)
            errors.Add("name", "A name of 1 to 200 letters, digits, spaces and ordinary punctuation is required.");
        if (request.Description is not null && TextRules.CleanText(request.Description, 2000) is null)
            errors.Add("description", "The description is at most 2000 characters, without markup or invisible formatting characters.");
        if (request.Price is not { } price || price <= 0 || price > 1_000_000 || decimal.Round(price, 2) != price)
            errors.Add("price", "A price above 0 and at most 1,000,000 with at most two decimals is required.");
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetter))
            errors.Add("currency", "The currency is a three-letter ISO 4217 code.");
        if (request.Stock is not { } stock || stock is < 0 or > 100_000_000)
            errors.Add("stock", "Stock is required, between 0 and 100,000,000.");
        return errors.Any ? errors.ToResult() : null;
    }

    private static void Apply(ProductRequest request, Product product, DateTime now)
    {
        product.Name = TextRules.CleanName(request.Name, 200)!;
        product.Description = TextRules.CleanText(request.Description, 2000) ?? "";
        product.Price = request.Price!.Value;
        product.Currency = (request.Currency ?? "EUR").Trim().ToUpperInvariant();
        product.Stock = request.Stock!.Value;
        product.UpdatedAt = now;
    }

    private static ProblemHttpResult PreconditionRequired() => TypedResults.Problem(
        "Send the product's ETag in If-Match (GET it first), so that a change made since is not overwritten.",
        statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match is required");

    private static ProblemHttpResult PreconditionFailed(Product? current) => TypedResults.Problem(
        "The product changed since it was read; GET it again and re-apply the change.",
        statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed",
        extensions: current is null ? null : new Dictionary<string, object?> { ["currentETag"] = ETags.Of(current) });
}
