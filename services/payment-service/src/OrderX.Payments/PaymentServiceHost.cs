using Microsoft.AspNetCore.Builder;
using OrderX.Payments.Apis;
using OrderX.ServiceDefaults;

namespace OrderX.Payments;

public static class PaymentServiceHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = OrderXBuilder.CreateBuilder(OrderXService.Payment, args);
        builder.AddPaymentServices();
        var app = builder.Build();
        app.UseOrderXDefaults();
        app.MapPaymentsApi();
        return app;
    }
}
