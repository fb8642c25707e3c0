using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderX.Contracts;
using OrderX.Messaging.Kafka;
using OrderX.Messaging.Outbox;
using OrderX.Messaging.Transport;
using OrderX.Testing;

namespace OrderX.Messaging.Tests;

/// <summary>Kafka (the mock cluster, or ORDERX_KAFKA_BOOTSTRAP) when it is late, and under the real outbox relay.</summary>
public sealed class KafkaResilienceTests : IAsyncLifetime
{
    private readonly string _prefix = $"r{TestInfrastructure.UniqueSuffix()}.";
    private readonly List<IAsyncDisposable> _owned = [];

    private KafkaTransport Transport(string bootstrapServers)
    {
        var transport = new KafkaTransport(Options.Create(new KafkaOptions { BootstrapServers = bootstrapServers, Prefix = _prefix }),
            NullLogger<KafkaTransport>.Instance, "orderx-kafka-resilience-test");
        _owned.Add(transport);
        return transport;
    }

    [Fact]
    public async Task A_service_started_before_the_broker_waits_and_connects_when_the_broker_comes_up()
    {
        // The clients bootstrap through the proxy; once up, they reach the brokers at the addresses the cluster names.
        var first = KafkaTestCluster.BootstrapServers.Split(',')[0];
        var proxy = new TcpProxy(first[..first.LastIndexOf(':')], int.Parse(first[(first.LastIndexOf(':') + 1)..]));
        _owned.Add(proxy);
        var transport = Transport($"127.0.0.1:{proxy.Port}");
        var received = new ConcurrentQueue<Guid>();
        await transport.SubscribeAsync(new Subscription("late", "late.tested"), (m, _) => { received.Enqueue(m.Id); return Task.CompletedTask; }, default);
        await Task.Delay(1500);
        Assert.False(transport.IsConnected);

        proxy.Start();
        await Eventually.HoldsAsync(() => transport.IsConnected, "the transport never connected to the late broker", timeoutSeconds: 30);
        var sent = new TransportMessage(Guid.NewGuid(), "late.tested", "order-1", Encoding.UTF8.GetBytes("{}"));
        await transport.PublishAsync(sent, default).WaitAsync(TimeSpan.FromSeconds(30));

        await Eventually.HoldsAsync(() => received.Contains(sent.Id), "the late-connected consumer got nothing", timeoutSeconds: 60);
    }

    [Fact]
    public async Task A_publish_the_cluster_never_confirms_fails_within_the_delivery_timeout_so_the_outbox_retries_it()
    {
        var unreachable = FreePorts.Take(1)[0];
        var transport = new KafkaTransport(Options.Create(new KafkaOptions
            {
                BootstrapServers = $"127.0.0.1:{unreachable}", Prefix = _prefix, DeliveryTimeout = TimeSpan.FromSeconds(2), CreateTopics = false,
            }),
            NullLogger<KafkaTransport>.Instance, "orderx-kafka-resilience-test");
        _owned.Add(transport);

        var publish = transport.PublishAsync(new TransportMessage(Guid.NewGuid(), "never.confirmed", "order-1", Encoding.UTF8.GetBytes("{}")), default);

        var failure = await Assert.ThrowsAsync<ProduceException<string, byte[]>>(() => publish.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(ErrorCode.Local_MsgTimedOut, failure.Error.Code);
        Assert.False(transport.IsConnected);
    }

    [Fact]
    public async Task A_member_joining_mid_stream_gets_only_what_the_other_had_not_finished_because_revoked_work_is_committed()
    {
        var handled = new ConcurrentDictionary<Guid, int>();
        var subscription = new Subscription("rebalance", "rebalance.tested");
        MessageHandler Slowly() => async (m, ct) => { handled.AddOrUpdate(m.Id, 1, (_, n) => n + 1); await Task.Delay(30, ct); };
        var first = Transport(KafkaTestCluster.BootstrapServers);
        await first.SubscribeAsync(subscription, Slowly(), default);
        await Eventually.HoldsAsync(() => first.AssignedPartitions > 0, "the first member got no partition", timeoutSeconds: 60);
        var sent = Enumerable.Range(0, 60).Select(i => new TransportMessage(Guid.NewGuid(), "rebalance.tested", $"order-{i}", Encoding.UTF8.GetBytes("{}"))).ToList();
        await Task.WhenAll(sent.Select(m => first.PublishAsync(m, default)));
        await Eventually.HoldsAsync(() => handled.Count >= 10, "the first member handled nothing", timeoutSeconds: 60);

        var second = Transport(KafkaTestCluster.BootstrapServers);
        await second.SubscribeAsync(subscription, Slowly(), default);

        await Eventually.HoldsAsync(() => handled.Count == sent.Count, "not every message was handled", timeoutSeconds: 90);
        await Task.Delay(1000);
        Assert.DoesNotContain(handled, h => h.Value > 1);
    }

    [Fact]
    public async Task The_outbox_relay_publishes_each_committed_row_once_and_marks_it_sent_after_its_delivery_report()
    {
        await using var connection = new SqliteConnection($"DataSource=relay-{Guid.NewGuid():N};Mode=Memory;Cache=Shared");
        await connection.OpenAsync();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OutboxWriter>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxCommitInterceptor>();
        services.AddSingleton<IMessageTransport>(Transport(KafkaTestCluster.BootstrapServers));
        services.Configure<MessagingOptions>(o => { o.ServiceName = "relay-test"; o.RelayBatchSize = 40; });
        services.AddDbContext<TestDbContext>((provider, o) => o.UseSqlite(connection.ConnectionString).AddInterceptors(provider.GetRequiredService<OutboxCommitInterceptor>()));
        services.AddSingleton<OutboxRelay<TestDbContext>>();
        await using var provider = services.BuildServiceProvider();
        var ids = new List<Guid>();
        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            await db.Database.EnsureCreatedAsync();
            var writer = scope.ServiceProvider.GetRequiredService<OutboxWriter>();
            for (var i = 0; i < 100; i++)
                ids.Add(writer.Add(db, new OrderCompleted(Guid.NewGuid(), Guid.NewGuid(), "a@example.com", 1m, "EUR")).Id);
            await db.SaveChangesAsync();
        }
        var relay = provider.GetRequiredService<OutboxRelay<TestDbContext>>();

        var claimed = 0;
        while (claimed < ids.Count)
            claimed += await relay.PublishPendingAsync(default);
        Assert.Equal(0, await relay.PublishPendingAsync(default));

        await using (var scope = provider.CreateAsyncScope())
            Assert.All(await scope.ServiceProvider.GetRequiredService<TestDbContext>().Set<OutboxMessage>().ToListAsync(), r => Assert.NotNull(r.SentAt));
        var published = await Eventually.ValueAsync(() => Task.Run(() => Ids(_prefix + OrderCompleted.EventType)), found => found.Count >= ids.Count, "every row on the topic");
        Assert.Equal(ids.Order(), published.Order());
    }

    private static List<Guid> Ids(string topic) =>
        KafkaTestCluster.ReadAll(topic).Select(r => Guid.Parse(KafkaTransport.HeaderText(r.Message.Headers, KafkaHeaders.Id)!)).ToList();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
            await owned.DisposeAsync();
    }
}
