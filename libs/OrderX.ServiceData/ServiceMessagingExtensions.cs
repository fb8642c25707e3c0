using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderX.Messaging;
using OrderX.Messaging.Consumers;
using OrderX.ServiceDefaults;

namespace OrderX.ServiceData;

public static class ServiceMessagingExtensions
{
    /// <summary>
    /// Outbox, relay, inbox and the transport named by <c>Messaging:Transport</c> (<see cref="MessageTransports"/>):
    /// <c>inmemory</c> (default; the process-wide bus), <c>rabbitmq</c> (settings under <c>RabbitMQ:</c>) or <c>kafka</c>
    /// (settings under <c>Kafka:</c>).
    /// </summary>
    public static MessagingBuilder AddServiceMessaging<TContext>(this WebApplicationBuilder builder, OrderXService service)
        where TContext : DbContext
    {
        var configuration = builder.Configuration;
        builder.Services.Configure<MessagingOptions>(configuration.GetSection("Messaging"));
        MessageTransports.Named(configuration["Messaging:Transport"]).Register(builder.Services, configuration, service.Name);
        // In the health report, not in readiness: while the broker is away the service still serves and its outbox keeps the events.
        builder.Services.AddHealthChecks().AddCheck<TransportHealthCheck>("transport");
        builder.Services.AddSingleton<ITransientFailureDetector>(DependencyFailures.Instance);
        builder.Services.AddSingleton(new EndpointMapping(app => app.MapOutboxStatus<TContext>().MapDeadLetters().MapBusFeed()));
        return builder.Services.AddOutboxMessaging<TContext>(service.Name);
    }
}
