using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrderX.Gateway;
using OrderX.Messaging.InMemory;
using OrderX.Messaging.Consumers;
using OrderX.Messaging.Inbox;
using OrderX.Messaging.Transport;
using OrderX.Notifications;
using OrderX.Orders;
using OrderX.Payments;
using OrderX.Products;
using OrderX.ServiceDefaults;
using OrderX.Users;
using OrderX.Web;

namespace OrderX.AllInOne;

/// <summary>
/// The embedded default: every service and the gateway in one process, each still on its own port, sharing
/// the in-process bus. The services are the very same apps that run alone in distributed mode.
/// </summary>
public static partial class AllInOneHost
{
    private static readonly (OrderXService Service, Func<string[], WebApplication> Build)[] Parts =
    [
        (OrderXService.User, UserServiceHost.Build),
        (OrderXService.Product, ProductServiceHost.Build),
        (OrderXService.Order, OrderServiceHost.Build),
        (OrderXService.Payment, PaymentServiceHost.Build),
        (OrderXService.Notification, NotificationServiceHost.Build),
        (OrderXService.Web, WebHost.Build),
        (OrderXService.Gateway, GatewayHost.Build),
    ];

    public static async Task RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        // AllInOne:Without=payment leaves a service out, e.g. to watch orders wait for a payment service that is down.
        var without = (configuration["AllInOne:Without"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var left = Parts.Where(part => without.Contains(part.Service.Name, StringComparer.OrdinalIgnoreCase)).ToList();
        foreach (var part in left)
        {
            await using var absent = part.Build(args);
            DeclareQueues(part.Service, absent);
        }
        var running = Parts.Except(left).ToList();
        var apps = running
            // Cleared so each part listens on its own ports (Ports:<name>), not on the one a container image sets.
            .Select(part => part.Build([.. args, "--urls=", "--http_ports=", $"--{TelemetryExtensions.AllInOneKey}=true"]))
            .ToList();
        // Every part's queues exist before any part starts (a left-out part's too), as a broker's durable queues
        // would: the bus refuses an event while one of its queues has no consumer, so an event the order service
        // relays at start-up waits in its outbox for the payment part instead of reaching only the parts already up.
        foreach (var (part, app) in running.Zip(apps))
            DeclareQueues(part.Service, app);

        // The bus is in memory; its dead letters are not: a restart must find them to be replayed.
        InMemoryBroker.Shared.KeepDeadLettersIn(Path.Combine(Path.GetFullPath(configuration["Data:Path"] ?? "data"), "bus-dead-letters.jsonl"));
        // Services first, gateway last: when the gateway listens, everything behind it is up.
        foreach (var app in apps)
            await app.StartAsync();
        // Logged, not written: off a terminal every line must be one JSON object.
        LogRunning(apps[^1].Logger, OrderXService.Gateway.Url(configuration));

        await Task.WhenAny(apps.Select(a => a.WaitForShutdownAsync()));
        for (var i = apps.Count - 1; i >= 0; i--)
        {
            await apps[i].StopAsync();
            await apps[i].DisposeAsync();
        }
    }

    [LoggerMessage(LogLevel.Information, "OrderX (all-in-one) is running: gateway {GatewayUrl}  (Ctrl+C stops it)")]
    private static partial void LogRunning(ILogger logger, Uri gatewayUrl);

    private static void DeclareQueues(OrderXService service, WebApplication app)
    {
        foreach (var subscription in app.Services.GetServices<EventSubscription>())
            InMemoryBroker.Shared.Bind(new Subscription(service.Name, subscription.EventType));
    }
}
