using RabbitMQ.Client;

namespace OrderX.Testing;

/// <summary>Removes what a test declared on the shared RabbitMQ: its queues (with their dead-letter queues) and its exchanges.</summary>
public static class TestBroker
{
    public static async Task DeleteAsync(string exchange, IEnumerable<string> queues)
    {
        var factory = new ConnectionFactory { HostName = TestInfrastructure.RabbitMqHost };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in queues)
        {
            await channel.QueueDeleteAsync(queue);
            await channel.QueueDeleteAsync($"{queue}.dlq");
        }
        await channel.ExchangeDeleteAsync(exchange);
        await channel.ExchangeDeleteAsync($"{exchange}.dlx");
    }
}
