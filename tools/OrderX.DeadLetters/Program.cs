using Microsoft.Extensions.Configuration;
using OrderX.Contracts;
using OrderX.Messaging.RabbitMQ;
using RabbitMQ.Client.Exceptions;

namespace OrderX.DeadLetters;

/// <summary>
/// The operator's view of dead-lettered messages on RabbitMQ:
///   list                 every OrderX subscription and how many dead letters it holds
///   show &lt;queue&gt;         the dead letters of one queue (left in place)
///   replay &lt;queue&gt;       puts them back on that queue once the fault is fixed
/// Broker settings are the services' own (RabbitMQ__Host, RabbitMQ__Exchange, …).
/// </summary>
public static class Program
{
    // Who consumes what; mirrors the Subscribe calls in each service's Extensions.cs.
    private static readonly (string Service, string Event)[] Subscriptions =
    [
        ("payment", OrderCreated.EventType),
        ("order", PaymentSucceeded.EventType),
        ("order", PaymentFailed.EventType),
        ("notification", OrderCompleted.EventType),
        ("notification", OrderCancelled.EventType),
    ];

    public static async Task<int> Main(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
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
        foreach (var (service, eventType) in Subscriptions)
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

    private static int Usage()
    {
        Console.Error.WriteLine("usage: dead-letters list | show <queue> | replay <queue>");
        return 2;
    }
}
