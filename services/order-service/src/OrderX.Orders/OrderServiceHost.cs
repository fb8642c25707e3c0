using Microsoft.AspNetCore.Builder;
using OrderX.Orders.Apis;
using OrderX.ServiceDefaults;

namespace OrderX.Orders;

public static class OrderServiceHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = OrderXBuilder.CreateBuilder(OrderXService.Order, args);
        builder.AddOrderServices();
        var app = builder.Build();
        app.UseOrderXDefaults();
        app.MapOrdersApi();
        return app;
    }
}
