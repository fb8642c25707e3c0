using Microsoft.AspNetCore.Builder;
using OrderX.Products.Apis;
using OrderX.ServiceDefaults;

namespace OrderX.Products;

public static class ProductServiceHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = OrderXBuilder.CreateBuilder(OrderXService.Product, args);
        builder.AddProductServices();
        var app = builder.Build();
        app.UseOrderXDefaults();
        app.MapProductsApi();
        return app;
    }
}
