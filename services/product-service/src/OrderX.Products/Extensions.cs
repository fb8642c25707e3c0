using Microsoft.AspNetCore.Builder;
using OrderX.Products.Data;
using OrderX.ServiceDefaults;

namespace OrderX.Products;

public static class Extensions
{
    public static WebApplicationBuilder AddProductServices(this WebApplicationBuilder builder) =>
        builder.AddServiceDatabase<ProductsDbContext, SqliteProductsDbContext, PostgresProductsDbContext>(OrderXService.Product, DemoCatalog.SeedAsync);
}
