using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrderX.Contracts;
using OrderX.Messaging.Inbox;
using OrderX.Products.Data;
using OrderX.Products.IntegrationEvents;
using OrderX.Products.Stock;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;
using OrderX.ServiceData;

namespace OrderX.Products;

public static class Extensions
{
    public static WebApplicationBuilder AddProductServices(this WebApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ProductsDbContext, SqliteProductsDbContext, PostgresProductsDbContext>(OrderXService.Product, DemoCatalog.SeedAsync);
        builder.AddServiceMessaging<ProductsDbContext>(OrderXService.Product)
            .Subscribe<OrderCreated, OrderCreatedHandler>()
            .Subscribe<OrderCompleted, OrderCompletedHandler>()
            .Subscribe<OrderCancelled, OrderCancelledHandler>();
        builder.Services.AddScoped<StockLedger>();
        builder.Services.AddScoped<IBatchPreloader<ProductsDbContext>, StockBatchPreloader>();
        builder.AddOrderXAuthentication();
        return builder;
    }
}
