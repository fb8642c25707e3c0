using Microsoft.AspNetCore.Http.HttpResults;
using OrderX.Products.Apis;
using OrderX.Products.Data;
using OrderX.Testing;

namespace OrderX.Products.Tests;

public sealed class ProductsApiTests : IDisposable
{
    private readonly SqliteTestDatabase<ProductsDbContext> _database = new(o => new ProductsDbContext(o));

    [Fact]
    public async Task The_demo_catalog_is_seeded_once_however_often_the_service_starts()
    {
        for (var start = 0; start < 2; start++)
        {
            await using var db = _database.NewContext();
            await DemoCatalog.SeedAsync(db, CancellationToken.None);
            await db.SaveChangesAsync();
        }

        await using var check = _database.NewContext();
        Assert.Equal(DemoCatalog.Products.Length, check.Products.Count());
    }

    [Fact]
    public async Task A_lookup_by_ids_returns_only_those_products()
    {
        await using var db = _database.NewContext();
        await DemoCatalog.SeedAsync(db, CancellationToken.None);
        await db.SaveChangesAsync();
        var wanted = DemoCatalog.Products[1].Id;

        var result = Assert.IsType<Ok<List<ProductDto>>>((await ProductsApi.ListProducts($"{wanted}", db, CancellationToken.None)).Result);

        Assert.Equal(wanted, Assert.Single(result.Value!).Id);
    }

    [Fact]
    public async Task A_lookup_with_a_malformed_id_is_a_validation_problem()
    {
        await using var db = _database.NewContext();
        Assert.IsType<ValidationProblem>((await ProductsApi.ListProducts("abc,def", db, CancellationToken.None)).Result);
    }

    [Theory]
    [InlineData(null, 10.0, 1)]
    [InlineData("Mug", 0.0, 1)]
    [InlineData("Mug", -1.0, 1)]
    [InlineData("Mug", 1.234, 1)]
    [InlineData("Mug", 10.0, -1)]
    public async Task Invalid_products_are_refused(string? name, double price, int stock)
    {
        await using var db = _database.NewContext();
        var result = await ProductsApi.CreateProduct(new CreateProductRequest(name, null, (decimal)price, null, stock), db, CancellationToken.None);
        Assert.IsType<ValidationProblem>(result.Result);
        Assert.Empty(db.Products);
    }

    [Fact]
    public async Task A_valid_product_is_stored_with_its_price_and_stock()
    {
        await using var db = _database.NewContext();
        var result = await ProductsApi.CreateProduct(new CreateProductRequest("Mug", "Blue", 12.50m, "eur", 7), db, CancellationToken.None);

        var created = Assert.IsType<Created<ProductDto>>(result.Result);
        Assert.Equal((12.50m, "EUR", 7), (created.Value!.Price, created.Value.Currency, created.Value.Stock));
    }

    public void Dispose() => _database.Dispose();
}
