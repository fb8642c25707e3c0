using Confluent.Kafka;
using Microsoft.Extensions.Configuration;
using OrderX.Contracts;
using OrderX.Messaging.Kafka;
using OrderX.Messaging.RabbitMQ;
using OrderX.ServiceData;
using RabbitMQ.Client.Exceptions;

namespace OrderX.DeadLetters;

/// <summary>
/// The operator's view of dead-lettered messages, on the transport the services use (Messaging__Transport):
///   list                      every OrderX subscription (RabbitMQ) or consumer group (Kafka) and its dead letters
///   show &lt;queue|service&gt;      the dead letters of one RabbitMQ queue, or of one service on Kafka (left in place)
///   replay &lt;queue|service&gt;    puts them back, to that subscription only, once the fault is fixed
/// Broker settings are the services' own (RabbitMQ__Host, RabbitMQ__Exchange, …; Kafka__BootstrapServers, Kafka__Prefix, …).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        if (string.Equals(configuration["Messaging:Transport"], "kafka", StringComparison.OrdinalIgnoreCase))
            return await KafkaAsync(args, configuration);
        var options = new RabbitMqOptions();
        configuration.GetSection(RabbitMqOptions.Section).Bind(options);
        var deadLetters = new DeadLetterQueues(options);
        try
        {
            return args switch
            {
                ["list"] => await ListAsync(deadLetters, options),
                ["show", var queue] => await ShowAsync(deadLetters, queue),
                ["replay", var queue] => await ReplayAsync(deadLetters, queue),
                _ => Usage(),
            };
        }
        catch (Exception error) when (error is BrokerUnreachableException or OperationInterruptedException)
        {
            Console.Error.WriteLine($"RabbitMQ at {options.Host}:{options.Port}: {error.Message}");
            return 1;
        }
    }

    private static async Task<int> ListAsync(DeadLetterQueues deadLetters, RabbitMqOptions options)
    {
        foreach (var (service, eventType) in OrderXSubscriptions.All)
        {
            var queue = $"{options.Exchange}.{service}.{eventType}";
            try
            {
                Console.WriteLine($"{await deadLetters.CountAsync(queue),8}  {queue}");
            }
            catch (OperationInterruptedException)
            {
                Console.WriteLine($"{"-",8}  {queue} (not declared yet: its service never started)");
            }
        }
        return 0;
    }

    private static async Task<int> ShowAsync(DeadLetterQueues deadLetters, string queue)
    {
        foreach (var message in await deadLetters.PeekAsync(queue))
            Console.WriteLine($"{message.MessageId}  {message.Type}  order {message.Subject}  ({message.Reason})\n    {message.Body}");
        return 0;
    }

    private static async Task<int> ReplayAsync(DeadLetterQueues deadLetters, string queue)
    {
        Console.WriteLine($"replayed {await deadLetters.ReplayAsync(queue)} message(s) onto {queue}");
        return 0;
    }

    private static async Task<int> KafkaAsync(string[] args, IConfiguration configuration)
    {
        var options = new KafkaOptions();
        configuration.GetSection(KafkaOptions.Section).Bind(options);
        var deadLetters = new KafkaDeadLetters(options);
        var names = new KafkaNames(options.Prefix);
        var services = OrderXSubscriptions.Services;
        try
        {
            switch (args)
            {
                case ["list"]:
                    foreach (var service in services)
                        Console.WriteLine($"{deadLetters.Count(service),8}  {names.DeadLetterTopic(service)}  (service {service})");
                    return 0;
                case ["show", var service] when services.Contains(service):
                    foreach (var letter in deadLetters.Peek(service))
                        Console.WriteLine($"{letter.MessageId}  {letter.Type}  order {letter.Subject}  from {letter.Origin} after {letter.Deliveries} deliveries  ({letter.Error})\n    {letter.Body}");
                    return 0;
                case ["replay", var service] when services.Contains(service):
                    Console.WriteLine($"replayed {await deadLetters.ReplayAsync(service)} message(s) onto {names.ReplayTopic(service)}");
                    return 0;
                default:
                    Console.Error.WriteLine($"on Kafka, dead letters are kept per service: {string.Join(", ", services)}");
                    return Usage();
            }
        }
        catch (KafkaException error)
        {
            Console.Error.WriteLine($"Kafka at {options.BootstrapServers}: {error.Error.Reason}");
            return 1;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: dead-letters list | show <queue> | replay <queue>   (on Kafka: show <service> | replay <service>)");
        return 2;
    }
}
