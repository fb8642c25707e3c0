using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OrderX.ServiceDefaults;

namespace OrderX.ServiceData;

public static class ServiceDatabaseExtensions
{
    /// <summary>
    /// The service's DbContext on the configured provider, migrated at start-up (with an optional idempotent seed).
    /// <typeparamref name="TContext"/> is what the service injects; the provider's subclass carries its migrations.
    /// </summary>
    public static WebApplicationBuilder AddServiceDatabase<TContext, TSqliteContext, TPostgresContext>(
        this WebApplicationBuilder builder,
        OrderXService service,
        DatabaseSeed<TContext>? seed = null)
        where TContext : DbContext
        where TSqliteContext : TContext
        where TPostgresContext : TContext
    {
        var settings = DatabaseSettings.For(builder.Configuration, service);
        builder.Services.AddSingleton(settings);
        builder.Services.TryAddSingleton(TimeProvider.System);
        // Pooled: building a context's options and services for every message and request was a tenth of each
        // service's CPU in the profile (bench/README). A pooled context is reset when its scope ends.
        if (settings.IsPostgres)
            builder.Services.AddDbContextPool<TContext, TPostgresContext>((services, options) => Configure(services, options, settings));
        else
            builder.Services.AddDbContextPool<TContext, TSqliteContext>((services, options) => Configure(services, options, settings));
        builder.Services.AddHostedService(services => new DatabaseInitializer<TContext>(
            services.GetRequiredService<IServiceScopeFactory>(),
            settings,
            seed,
            services.GetRequiredService<ILogger<DatabaseInitializer<TContext>>>()));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TContext>>("database", tags: [HealthEndpoints.ReadyTag]);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyOutage, DatabaseOutage>());
        return builder;
    }

    private static void Configure(IServiceProvider services, DbContextOptionsBuilder options, DatabaseSettings settings)
    {
        settings.Configure(options);
        // Every interceptor registered as IInterceptor: the outbox's commit signal and a service's own.
        options.AddInterceptors(services.GetServices<IInterceptor>());
    }
}
