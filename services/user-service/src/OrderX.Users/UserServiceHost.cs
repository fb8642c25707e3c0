using Microsoft.AspNetCore.Builder;
using OrderX.ServiceDefaults;
using OrderX.Users.Apis;

namespace OrderX.Users;

/// <summary>The user service's one entry: the same app runs as its own process and inside the all-in-one host.</summary>
public static class UserServiceHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = OrderXBuilder.CreateBuilder(OrderXService.User, args);
        builder.AddUserServices();
        var app = builder.Build();
        app.UseOrderXDefaults();
        app.MapWellKnownApi();
        app.MapAccountsApi();
        app.MapUsersApi();
        return app;
    }
}
