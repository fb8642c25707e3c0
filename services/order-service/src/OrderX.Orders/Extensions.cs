using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrderX.Contracts;
using OrderX.Messaging;
using OrderX.Messaging.Inbox;
using OrderX.Orders.Clients;
using OrderX.Orders.Data;
using OrderX.Orders.Idempotency;
using OrderX.Orders.IntegrationEvents;
using OrderX.Orders.Saga;
using OrderX.Orders.Tracking;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;
using OrderX.ServiceData;

namespace OrderX.Orders;

public static class Extensions
{
    public static WebApplicationBuilder AddOrderServices(this WebApplicationBuilder builder)
    {
        // On PostgreSQL other instances may write too: their steps arrive once the listener is connected.
        builder.Services.AddSingleton(services => new OrderChangeWatch(seesOtherInstances: !services.GetRequiredService<DatabaseSettings>().IsPostgres));
        builder.Services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, OrderChangeInterceptor>();
        builder.Services.AddHostedService<OrderHistoryListener>();
        builder.Services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(new AfterCommitMetrics<Domain.Order>(OrderMetrics.Measure));
        builder.AddServiceDatabase<OrdersDbContext, SqliteOrdersDbContext, PostgresOrdersDbContext>(OrderXService.Order);
        builder.AddServiceMessaging<OrdersDbContext>(OrderXService.Order)
            .Subscribe<PaymentSucceeded, PaymentSucceededHandler>()
            .Subscribe<PaymentFailed, PaymentFailedHandler>()
            .Subscribe<PaymentRefunded, PaymentRefundedHandler>()
            .Subscribe<StockReserved, StockReservedHandler>()
            .Subscribe<StockRejected, StockRejectedHandler>()
            .Subscribe<StockReleased, StockReleasedHandler>()
            .Subscribe<NotificationSent, NotificationSentHandler>();
        builder.Services.AddScoped<IBatchPreloader<OrdersDbContext>, OrderBatchPreloader>();
        builder.Services.AddScoped<OrderSaga>();
        builder.Services.Configure<OrderSagaOptions>(builder.Configuration.GetSection(OrderSagaOptions.Section));
        builder.Services.AddHostedService<PendingOrderTimeout>();
        builder.Services.AddHostedService<PendingOrdersSampler>();
        builder.Services.AddScoped<IdempotencyStore>();
        builder.Services.Configure<IdempotencyOptions>(builder.Configuration.GetSection(IdempotencyOptions.Section));
        builder.Services.AddHostedService<IdempotencyRetention>();
        builder.AddOrderXAuthentication();
        builder.Services.AddServiceClient<ProductCatalog>(builder.Configuration, OrderXService.Product);
        builder.Services.AddSingleton<CatalogCache>();
        builder.Services.Configure<CatalogCacheOptions>(builder.Configuration.GetSection(CatalogCacheOptions.Section));
        return builder;
    }
}
