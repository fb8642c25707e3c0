using Microsoft.AspNetCore.Builder;
using OrderX.Notifications.Apis;
using OrderX.ServiceDefaults;

namespace OrderX.Notifications;

public static class NotificationServiceHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = OrderXBuilder.CreateBuilder(OrderXService.Notification, args);
        builder.AddNotificationServices();
        var app = builder.Build();
        app.UseOrderXDefaults();
        app.MapNotificationsApi();
        return app;
    }
}
