using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderX.Messaging.Transport;
using OrderX.ServiceData;

namespace OrderX.DeadLetters;

/// <summary>
/// The operator's view of dead-lettered messages, on the transport the services use (Messaging__Transport, RabbitMQ
/// when unset), through the same <see cref="IDeadLetterStore"/> as each service's admin API:
///   list                        every OrderX service's places (a queue per subscription on RabbitMQ, a topic per
///                               service on Kafka) and how many dead letters each holds
///   show &lt;place|service&gt;        the dead letters of one place, or of every place of one service (left in place)
///   replay &lt;place|service&gt;      puts them back, to that place's subscriptions only, once the fault is fixed
///   discard &lt;place|service&gt;     drops them
/// Broker settings are the services' own (RabbitMQ__Host, RabbitMQ__Exchange, …; Kafka__BootstrapServers, Kafka__Prefix, …).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var transport = configuration["Messaging:Transport"] ?? "rabbitmq";
        var plugin = MessageTransports.Named(transport);
        if (plugin == MessageTransports.Named(MessageTransports.Default))
        {
            Console.Error.WriteLine("The in-process bus keeps its dead letters inside the all-in-one process: ask it, GET /api/admin/dead-letters on each part.");
            return 2;
        }
        var services = new ServiceCollection();
        plugin.Register(services, configuration, "dead-letters");
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IDeadLetterStore>();
        var places = OrderXSubscriptions.Services.ToDictionary(service => service,
            service => store.PlacesOf(service, OrderXSubscriptions.All.Where(s => s.Service == service).Select(s => s.Event)));
        try
        {
            switch (args)
            {
                case ["list"]:
                    foreach (var (service, owned) in places)
                        foreach (var place in owned)
                            Console.WriteLine(await store.CountAsync(place, default) is { } count
                                ? $"{count,8}  {place}  (service {service})"
                                : $"{"-",8}  {place}  (service {service}; not declared yet: its service never started)");
                    return 0;
                case ["show" or "replay" or "discard", var target] when Resolve(places, target) is { Count: > 0 } chosen:
                    foreach (var place in chosen)
                        await RunAsync(store, args[0], place);
                    return 0;
                case ["show" or "replay" or "discard", var target]:
                    Console.Error.WriteLine($"'{target}' is neither a service ({string.Join(", ", places.Keys)}) nor one of their places (see list).");
                    return 2;
                default:
                    return Usage();
            }
        }
        catch (TransportUnavailableException error)
        {
            Console.Error.WriteLine(error.Message);
            return 1;
        }
    }

    private static IReadOnlyList<string> Resolve(Dictionary<string, IReadOnlyList<string>> places, string target) =>
        places.TryGetValue(target, out var owned) ? owned : places.Values.SelectMany(p => p).Where(p => p == target).ToList();

    private static async Task RunAsync(IDeadLetterStore store, string command, string place)
    {
        switch (command)
        {
            case "show":
                foreach (var message in await store.PeekAsync(place, 50, default))
                    Console.WriteLine($"{place}: {message.MessageId}  {message.Type}  order {message.Subject}  ({message.Reason})\n    {message.Body}");
                break;
            case "replay":
                Console.WriteLine($"replayed {await store.ReplayAsync(place, default)} message(s) of {place}");
                break;
            case "discard":
                Console.WriteLine($"discarded {await store.DiscardAsync(place, default)} message(s) of {place}");
                break;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: dead-letters list | show <place|service> | replay <place|service> | discard <place|service>");
        return 2;
    }
}
