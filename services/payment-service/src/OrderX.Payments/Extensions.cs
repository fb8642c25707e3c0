using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrderX.Contracts;
using OrderX.Messaging;
using OrderX.Messaging.Inbox;
using OrderX.Payments.Data;
using OrderX.Payments.Domain;
using OrderX.Payments.IntegrationEvents;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;
using OrderX.ServiceData;

namespace OrderX.Payments;

public static class Extensions
{
    public static WebApplicationBuilder AddPaymentServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(new AfterCommitMetrics<Payment>(PaymentMetrics.Measure));
        builder.AddServiceDatabase<PaymentsDbContext, SqlitePaymentsDbContext, PostgresPaymentsDbContext>(OrderXService.Payment);
        builder.AddServiceMessaging<PaymentsDbContext>(OrderXService.Payment)
            .Subscribe<OrderCreated, OrderCreatedHandler>()
            .Subscribe<PaymentRefund, PaymentRefundHandler>();
        builder.Services.Configure<PaymentRuleOptions>(builder.Configuration.GetSection(PaymentRuleOptions.Section));
        builder.Services.AddSingleton<PaymentRule>();
        builder.Services.AddScoped<ChargedOrders>();
        builder.Services.AddScoped<IBatchPreloader<PaymentsDbContext>, SubjectBatchPreloader<PaymentsDbContext, ChargedOrders>>();
        builder.AddOrderXAuthentication();
        return builder;
    }
}
