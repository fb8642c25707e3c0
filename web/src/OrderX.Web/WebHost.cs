using Microsoft.AspNetCore.Builder;
using OrderX.ServiceDefaults;
using OrderX.Web.Apis;
using OrderX.Web.Components;

namespace OrderX.Web;

public static class WebHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = OrderXBuilder.CreateBuilder(OrderXService.Web, args);
        builder.AddWebFront();
        var app = builder.Build();
        app.UseOrderXDefaults();
        app.UseFlash();
        app.UseAntiforgery();
        app.MapAssets();
        app.MapAccountActions();
        app.MapCartActions();
        app.MapOrderActions();
        app.MapConsoleActions();
        app.MapRazorComponents<App>();
        return app;
    }
}
