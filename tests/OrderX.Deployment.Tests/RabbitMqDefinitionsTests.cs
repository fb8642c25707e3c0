using OrderX.ServiceData;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OrderX.Messaging.Consumers;
using OrderX.Messaging.Inbox;
using Microsoft.Extensions.Options;
using OrderX.Messaging.RabbitMQ;
using OrderX.Messaging.Transport;
using OrderX.Testing;

namespace OrderX.Deployment.Tests;

/// <summary>
/// infra/rabbitmq/definitions.json imported into a real RabbitMQ (under a unique exchange and user name, so the
/// broker's other users are untouched): its user logs in with the documented password, and the services declare
/// the very same queues without a PRECONDITION_FAILED, so the two can never drift apart.
/// </summary>
[Collection("configuration keys")]
public sealed class RabbitMqDefinitionsTests : IAsyncLifetime
{
    private const string DevPassword = "orderx-dev";
    private readonly string _name = $"orderx-deftest-{TestInfrastructure.UniqueSuffix()}";
    private readonly List<string> _queues = [];

    [Fact]
    public async Task The_definitions_user_and_topology_are_exactly_what_the_services_use()
    {
        var rabbitmqctl = Repo.RequireTool("rabbitmqctl");
        var definitions = JsonNode.Parse(File.ReadAllText(Repo.PathOf("infra", "rabbitmq", "definitions.json")))!;
        var renamed = definitions.ToJsonString().Replace("\"orderx.", $"\"{_name}.").Replace("\"orderx\"", $"\"{_name}\"");
        var file = Path.Combine(Path.GetTempPath(), $"{_name}.json");
        await File.WriteAllTextAsync(file, renamed);
        _queues.AddRange(JsonNode.Parse(renamed)!["queues"]!.AsArray().Select(q => q!["name"]!.GetValue<string>()));

        var (exit, output) = Repo.Run(rabbitmqctl, $"import_definitions {file}");
        File.Delete(file);
        Assert.True(exit == 0, output);

        var options = new RabbitMqOptions { Host = TestInfrastructure.RabbitMqHost, UserName = _name, Password = DevPassword, Exchange = _name };
        await using var transport = new RabbitMqTransport(Options.Create(options), NullLogger<RabbitMqTransport>.Instance, "definitions-test");
        var received = new ConcurrentBag<string>();
        var subscriptions = _queues.Where(q => !q.EndsWith(".dlq", StringComparison.Ordinal)).Select(q => q[(_name.Length + 1)..])
            .Select(rest => new Subscription(rest[..rest.IndexOf('.')], rest[(rest.IndexOf('.') + 1)..])).ToList();
        Assert.Equal(SubscriptionsOfTheServices(), subscriptions.Select(s => s.QueueName).Order().ToList());
        foreach (var subscription in subscriptions)
            await transport.SubscribeAsync(subscription, (m, _) => { received.Add(m.Type); return Task.CompletedTask; }, default).WaitAsync(TimeSpan.FromSeconds(20));

        // One message per event type reaches every queue bound to it.
        foreach (var eventType in subscriptions.Select(s => s.EventType).Distinct())
            await transport.PublishAsync(new TransportMessage(Guid.NewGuid(), eventType, "o", Encoding.UTF8.GetBytes("{}")), default);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (received.Count < subscriptions.Count && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Equal(subscriptions.Select(s => s.EventType).Order(), received.Order());
    }

    [Fact]
    public void The_operators_table_of_subscriptions_is_what_the_services_subscribe_to()
    {
        Assert.Equal(SubscriptionsOfTheServices(),
            OrderXSubscriptions.All.Select(s => new Subscription(s.Service, s.Event).QueueName).Order().ToList());
    }

    /// <summary>What the services really subscribe to, read from each one's registrations.</summary>
    private static List<string> SubscriptionsOfTheServices()
    {
        var queues = new List<string>();
        foreach (var (service, host) in ServiceHosts.All)
        {
            using var app = host.Build([]);
            queues.AddRange(app.Services.GetServices<EventSubscription>().Select(s => new Subscription(service, s.EventType).QueueName));
        }
        return queues.Order().ToList();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await TestBroker.DeleteAsync(_name, _queues.Where(q => !q.EndsWith(".dlq", StringComparison.Ordinal)));
        Repo.Run("rabbitmqctl", $"delete_user {_name}");
    }
}
