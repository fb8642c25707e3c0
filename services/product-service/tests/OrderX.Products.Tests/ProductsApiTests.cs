using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using OrderX.Products.Apis;
using OrderX.Products.Data;
using OrderX.Testing;

namespace OrderX.Products.Tests;

public sealed class ProductsApiTests : IDisposable
{
    private readonly SqliteTestDatabase<ProductsDbContext> _database = new(o => new ProductsDbContext(o));

    private static ProductQuery Query(string? name = null, decimal? minPrice = null, decimal? maxPrice = null, string? sort = null,
        int? page = null, int? pageSize = null, string? ids = null, bool? includeDeleted = null) =>
        new(name, minPrice, maxPrice, sort, page, pageSize, ids, includeDeleted);

    private async Task<ProductsDbContext> SeededAsync()
    {
        var db = _database.NewContext();
        await DemoCatalog.SeedAsync(db, TimeProvider.System, CancellationToken.None);
        await db.SaveChangesAsync();
        return db;
    }

    private async Task<ProductPage> ListAsync(ProductQuery query)
    {
        await using var db = _database.NewContext();
        return Assert.IsType<Ok<ProductPage>>((await ProductsApi.ListProducts(query, db, CancellationToken.None)).Result).Value!;
    }

    private async Task<(ProductDto Product, string ETag)> CreateAsync(string name = "Mug", decimal price = 12.50m, int stock = 7)
    {
        await using var db = _database.NewContext();
        var context = new DefaultHttpContext();
        var result = await ProductsApi.CreateProduct(new ProductRequest(name, "Blue", price, "eur", stock), db, TimeProvider.System, context, CancellationToken.None);
        return (Assert.IsType<Created<ProductDto>>(result.Result).Value!, context.Response.Headers.ETag.ToString());
    }

    private async Task<IResult> UpdateAsync(Guid id, ProductRequest request, string? ifMatch)
    {
        await using var db = _database.NewContext();
        var context = new DefaultHttpContext();
        if (ifMatch is not null)
            context.Request.Headers.IfMatch = ifMatch;
        return (await ProductsApi.UpdateProduct(id, request, db, TimeProvider.System, context, CancellationToken.None)).Result;
    }

    [Fact]
    public async Task The_demo_catalog_is_seeded_once_however_often_the_service_starts()
    {
        for (var start = 0; start < 2; start++)
            await (await SeededAsync()).DisposeAsync();

        await using var check = _database.NewContext();
        Assert.Equal(DemoCatalog.Products.Length, check.Products.Count());
    }

    [Fact]
    public async Task A_lookup_by_ids_returns_only_those_products()
    {
        await (await SeededAsync()).DisposeAsync();
        var wanted = DemoCatalog.Products[1].Id;

        Assert.Equal(wanted, Assert.Single((await ListAsync(Query(ids: $"{wanted}"))).Items).Id);
    }

    [Theory]
    [InlineData("abc,def", null, null, null)]
    [InlineData(null, 0, null, null)]
    [InlineData(null, null, 101, null)]
    [InlineData(null, null, null, "colour")]
    public async Task A_malformed_listing_query_is_a_validation_problem(string? ids, int? page, int? pageSize, string? sort)
    {
        await using var db = _database.NewContext();
        var result = await ProductsApi.ListProducts(Query(ids: ids, page: page, pageSize: pageSize, sort: sort), db, CancellationToken.None);
        Assert.IsType<ValidationProblem>(result.Result);
    }

    [Fact]
    public async Task The_listing_filters_by_name_and_price_sorts_and_pages_with_the_total_count()
    {
        await (await SeededAsync()).DisposeAsync();

        var espresso = await ListAsync(Query(name: "ESPRESSO", sort: "-price"));
        Assert.Equal(["Espresso machine", "Espresso beans, 1 kg"], espresso.Items.Select(p => p.Name));

        var cheap = await ListAsync(Query(maxPrice: 60m, sort: "price"));
        Assert.Equal([24.90m, 39.00m, 59.00m], cheap.Items.Select(p => p.Price));

        var first = await ListAsync(Query(sort: "price", pageSize: 2));
        var second = await ListAsync(Query(sort: "price", pageSize: 2, page: 2));
        Assert.Equal((DemoCatalog.Products.Length, 2, 2), (first.TotalCount, first.Items.Count, second.Items.Count));
        Assert.Empty(first.Items.Select(p => p.Id).Intersect(second.Items.Select(p => p.Id)));
        Assert.True(first.Items[^1].Price <= second.Items[0].Price);
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
        var result = await ProductsApi.CreateProduct(new ProductRequest(name, null, (decimal)price, null, stock), db, TimeProvider.System,
            new DefaultHttpContext(), CancellationToken.None);
        Assert.IsType<ValidationProblem>(result.Result);
        Assert.Empty(db.Products);
    }

    [Fact]
    public async Task A_valid_product_is_stored_with_its_price_and_stock_and_an_etag()
    {
        var (created, etag) = await CreateAsync();

        Assert.Equal((12.50m, "EUR", 7, 7), (created.Price, created.Currency, created.Stock, created.Available));
        Assert.Equal("\"v0\"", etag);
    }

    [Fact]
    public async Task An_update_with_the_current_etag_is_stored_and_gets_a_new_etag()
    {
        var (created, etag) = await CreateAsync();

        var ok = Assert.IsType<Ok<ProductDto>>(await UpdateAsync(created.Id, new ProductRequest("Mug", "Red", 14m, "EUR", 9), etag));

        Assert.Equal((14m, 9, "Red"), (ok.Value!.Price, ok.Value.Stock, ok.Value.Description));
        await using var db = _database.NewContext();
        Assert.Equal(1, db.Products.Single().Version);
    }

    [Fact]
    public async Task An_update_with_a_stale_etag_is_refused_with_412_and_changes_nothing()
    {
        var (created, etag) = await CreateAsync();
        Assert.IsType<Ok<ProductDto>>(await UpdateAsync(created.Id, new ProductRequest("Mug", null, 14m, null, 9), etag));

        var stale = Assert.IsType<ProblemHttpResult>(await UpdateAsync(created.Id, new ProductRequest("Mug", null, 99m, null, 1), etag));

        Assert.Equal(StatusCodes.Status412PreconditionFailed, stale.StatusCode);
        await using var db = _database.NewContext();
        Assert.Equal(14m, db.Products.Single().Price);
    }

    [Fact]
    public async Task An_update_without_if_match_is_refused_with_428()
    {
        var (created, _) = await CreateAsync();

        var result = Assert.IsType<ProblemHttpResult>(await UpdateAsync(created.Id, new ProductRequest("Mug", null, 14m, null, 9), ifMatch: null));

        Assert.Equal(StatusCodes.Status428PreconditionRequired, result.StatusCode);
    }

    [Fact]
    public async Task Stock_cannot_be_set_below_what_pending_orders_reserved()
    {
        var (created, _) = await CreateAsync(stock: 7);
        await using (var db = _database.NewContext())
        {
            var product = db.Products.Single();
            product.Reserved = 5;
            product.Version = 3;
            await db.SaveChangesAsync();
        }

        var result = Assert.IsType<ProblemHttpResult>(await UpdateAsync(created.Id, new ProductRequest("Mug", null, 12.50m, null, 4), "\"v3\""));

        Assert.Equal(StatusCodes.Status422UnprocessableEntity, result.StatusCode);
    }

    [Fact]
    public async Task A_deleted_product_leaves_the_catalog_but_stays_readable_on_request()
    {
        var (created, _) = await CreateAsync();
        await using (var db = _database.NewContext())
            Assert.IsType<NoContent>((await ProductsApi.DeleteProduct(created.Id, db, TimeProvider.System, new DefaultHttpContext(), CancellationToken.None)).Result);

        Assert.Empty((await ListAsync(Query())).Items);
        Assert.Empty((await ListAsync(Query(ids: created.Id.ToString()))).Items);
        Assert.True(Assert.Single((await ListAsync(Query(includeDeleted: true))).Items).Deleted);
        await using var check = _database.NewContext();
        Assert.IsType<ProblemHttpResult>((await ProductsApi.GetProduct(created.Id, null, check, new DefaultHttpContext(), CancellationToken.None)).Result);
    }

    [Fact]
    public async Task A_read_with_the_current_etag_in_if_none_match_answers_304()
    {
        var (created, etag) = await CreateAsync();
        await using var db = _database.NewContext();
        var context = new DefaultHttpContext();
        context.Request.Headers.IfNoneMatch = etag;

        var result = Assert.IsType<StatusCodeHttpResult>((await ProductsApi.GetProduct(created.Id, null, db, context, CancellationToken.None)).Result);

        Assert.Equal(StatusCodes.Status304NotModified, result.StatusCode);
    }

    public void Dispose() => _database.Dispose();
}
