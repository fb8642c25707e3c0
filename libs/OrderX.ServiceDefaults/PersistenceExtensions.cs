using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderX.Messaging;
using OrderX.Messaging.InMemory;
using OrderX.Messaging.RabbitMQ;
using OrderX.Messaging.Transport;

namespace OrderX.ServiceDefaults;

public static class PersistenceExtensions
{
    /// <summary>
    /// The service's DbContext on the configured provider, migrated at start-up (with an optional idempotent seed).
    /// <typeparamref name="TContext"/> is what the service injects; the provider's subclass carries its migrations.
    /// </summary>
    public static WebApplicationBuilder AddServiceDatabase<TContext, TSqliteContext, TPostgresContext>(
        this WebApplicationBuilder builder,
        OrderXService service,
        Func<TContext, CancellationToken, Task>? seed = null)
        where TContext : DbContext
        where TSqliteContext : TContext
        where TPostgresContext : TContext
    {
        var settings = DatabaseSettings.For(builder.Configuration, service);
        builder.Services.AddSingleton(settings);
        if (settings.IsPostgres)
            builder.Services.AddDbContext<TContext, TPostgresContext>((services, options) => Configure(services, options, settings));
        else
            builder.Services.AddDbContext<TContext, TSqliteContext>((services, options) => Configure(services, options, settings));
        builder.Services.AddHostedService(services => new DatabaseInitializer<TContext>(
            services.GetRequiredService<IServiceScopeFactory>(),
            settings,
            seed,
            services.GetRequiredService<ILogger<DatabaseInitializer<TContext>>>()));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck<TContext>>("database", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }

    private static void Configure(IServiceProvider services, DbContextOptionsBuilder options, DatabaseSettings settings)
    {
        settings.Configure(options);
        // Every interceptor registered as IInterceptor: the outbox's commit signal and a service's own.
        options.AddInterceptors(services.GetServices<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>());
    }

    /// <summary>
    /// Outbox, relay, inbox and the transport named by <c>Messaging:Transport</c>: <c>inmemory</c> (default; the
    /// process-wide bus) or <c>rabbitmq</c> (settings under <c>RabbitMQ:</c>).
    /// </summary>
    public static MessagingBuilder AddServiceMessaging<TContext>(this WebApplicationBuilder builder, OrderXService service)
        where TContext : DbContext
    {
        var configuration = builder.Configuration;
        builder.Services.Configure<MessagingOptions>(configuration.GetSection("Messaging"));
        var transport = (configuration["Messaging:Transport"] ?? "inmemory").Trim().ToLowerInvariant();
        switch (transport)
        {
            case "inmemory" or "in-memory":
                builder.Services.AddSingleton<IMessageTransport>(_ => new InMemoryTransport(InMemoryBroker.Shared));
                break;
            case "rabbitmq":
                builder.Services.Configure<RabbitMqOptions>(configuration.GetSection(RabbitMqOptions.Section));
                builder.Services.AddSingleton<IMessageTransport>(services => new RabbitMqTransport(
                    services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RabbitMqOptions>>(),
                    services.GetRequiredService<ILogger<RabbitMqTransport>>(),
                    $"orderx-{service.Name}@{Environment.MachineName}:{Environment.ProcessId}"));
                break;
            default:
                throw new InvalidOperationException($"Messaging:Transport '{transport}' is not supported; use 'inmemory' or 'rabbitmq'.");
        }
        builder.Services.AddHealthChecks().AddCheck<TransportHealthCheck>("transport", tags: [HealthEndpoints.ReadyTag]);
        builder.Services.AddSingleton<OrderX.Messaging.Inbox.ITransientFailureDetector>(DependencyFailures.Instance);
        return builder.Services.AddOutboxMessaging<TContext>(service.Name);
    }
}
