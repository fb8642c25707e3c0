using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using OrderX.ServiceDefaults;
using OrderX.Web.Backend;

namespace OrderX.Web;

public static class Extensions
{
    public static WebApplicationBuilder AddWebFront(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddAntiforgery(o => o.Cookie.Name = "orderx-antiforgery");
        // The session cookie is encrypted with these keys: kept on disk so a restart keeps customers signed in.
        // Replicas share them through one directory (WebFront:KeysPath on a shared volume).
        var keys = builder.Configuration["WebFront:KeysPath"] ?? Path.Combine(Path.GetFullPath(builder.Configuration["Data:Path"] ?? "data"), "web-keys");
        builder.Services.AddDataProtection().SetApplicationName("orderx-web").PersistKeysToFileSystem(new DirectoryInfo(keys));
        builder.Services.AddSingleton<TokenRefresher>();
        builder.Services.AddAuthentication(SessionTokens.Scheme).AddCookie(SessionTokens.Scheme, o =>
        {
            o.Cookie.Name = "orderx-session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // As long as the refresh token: the access token inside is renewed while the customer comes back.
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            o.SlidingExpiration = true;
            o.LoginPath = "/account/signin";
            o.LogoutPath = "/account/signout";
            o.AccessDeniedPath = "/account/denied";
            o.ReturnUrlParameter = "returnUrl";
            o.Events = new CookieAuthenticationEvents
            {
                OnValidatePrincipal = context => context.HttpContext.RequestServices.GetRequiredService<TokenRefresher>().ValidateAsync(context),
            };
        });
        builder.Services.AddAuthorization();

        // Straight to the services, as the services call each other: the gateway is the browsers' edge, and its
        // per-address limits would count every customer of this server as one client.
        builder.Services.AddServiceClient<CatalogClient>(builder.Configuration, OrderXService.Product);
        builder.Services.AddServiceClient<AccountsClient>(builder.Configuration, OrderXService.User, retryUnsafeMethods: false);
        // Placing an order waits on the order service's own call to the product service (up to 10 s with its retries):
        // an attempt cut off sooner would be repeated while the first still runs, and meet it as a 409.
        builder.Services.AddServiceClient<OrdersClient>(builder.Configuration, OrderXService.Order, attemptTimeout: TimeSpan.FromSeconds(12));
        builder.Services.AddServiceClient<PaymentsClient>(builder.Configuration, OrderXService.Payment);
        builder.Services.AddServiceClient<NotificationsClient>(builder.Configuration, OrderXService.Notification);
        // The console asks each service for its readiness, outbox and dead letters on its own port, with no retries: a
        // replay is not repeated behind the operator's back. Looks are cut shorter than this (OperationsClient).
        foreach (var service in OrderXService.Backends)
            builder.Services.AddHttpClient(OperationsClient.ClientPrefix + service.Name, client =>
            {
                client.BaseAddress = service.Url(builder.Configuration);
                client.Timeout = TimeSpan.FromSeconds(30);
            });
        builder.Services.AddScoped<OperationsClient>();
        builder.Services.AddHttpClient<OrderEventsClient>(client =>
        {
            client.BaseAddress = OrderXService.Order.Url(builder.Configuration);
            client.Timeout = Timeout.InfiniteTimeSpan;
        });
        return builder;
    }
}
