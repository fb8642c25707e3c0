using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrderX.Contracts;
using OrderX.Messaging.Consumers;
using OrderX.Messaging.Inbox;
using OrderX.Messaging.Outbox;

namespace OrderX.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>Outbox, relay, inbox and consumers for a service whose state lives in <typeparamref name="TContext"/>.</summary>
    public static MessagingBuilder AddOutboxMessaging<TContext>(this IServiceCollection services, string serviceName)
        where TContext : DbContext
    {
        services.Configure<MessagingOptions>(o => o.ServiceName = serviceName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<OutboxCommitInterceptor>();
        services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(provider => provider.GetRequiredService<OutboxCommitInterceptor>());
        services.TryAddSingleton<OutboxWriter>();
        services.TryAddSingleton<InboxDispatcher<TContext>>();
        services.TryAddSingleton<ITransientFailureDetector, NoTransientFailures>();
        services.AddHostedService<OutboxRelay<TContext>>();
        services.AddHostedService<OutboxBacklogSampler<TContext>>();
        services.AddHostedService<ConsumerHost<TContext>>();
        services.TryAddSingleton<InboxRetention<TContext>>();
        services.AddHostedService(provider => provider.GetRequiredService<InboxRetention<TContext>>());
        services.TryAddSingleton<OutboxRetention<TContext>>();
        services.AddHostedService(provider => provider.GetRequiredService<OutboxRetention<TContext>>());
        return new MessagingBuilder(services);
    }
}

public sealed class MessagingBuilder(IServiceCollection services)
{
    public MessagingBuilder Subscribe<TEvent, THandler>()
        where TEvent : IIntegrationEvent
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        services.AddScoped<THandler>();
        services.AddSingleton(EventSubscription.For<TEvent, THandler>());
        return this;
    }
}
