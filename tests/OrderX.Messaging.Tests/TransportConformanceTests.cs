using OrderX.Testing;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderX.Contracts;
using OrderX.Messaging.Consumers;
using OrderX.Messaging.Inbox;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Tests;

/// <summary>
/// What every transport must do, run against each of them: delivery, confirms, redelivery after a failed
/// handler, dead-lettering after the delivery limit, inbox de-duplication, and competing consumers.
/// </summary>
public abstract class TransportConformanceTests : IAsyncLifetime
{
    protected const int MaxDeliveries = 3;
    private const string EventType = "conformance.tested";
    private readonly List<IMessageTransport> _transports = [];

    protected Subscription Queue { get; } = new($"conformance-{Testing.TestInfrastructure.UniqueSuffix()}", EventType);

    /// <summary>A new connection to the broker under test, as a separate process would have.</summary>
    protected abstract IMessageTransport Connect();

    /// <summary>The ids now in the subscription's dead-letter queue.</summary>
    protected abstract Task<IReadOnlyList<Guid>> DeadLetteredIdsAsync(Subscription subscription);

    /// <summary>The transport's dead letters as an operator reaches them (a service's admin API, the script).</summary>
    protected abstract IDeadLetterStore DeadLetterStore();

    protected abstract IBusWatch BusWatch();

    protected IMessageTransport NewTransport()
    {
        var transport = Connect();
        _transports.Add(transport);
        return transport;
    }

    protected static TransportMessage Message(Guid? id = null, string type = EventType, string key = "order-1")
    {
        var messageId = id ?? Guid.NewGuid();
        return new TransportMessage(messageId, type, key, Encoding.UTF8.GetBytes($"{{\"id\":\"{messageId}\"}}"));
    }

    /// <summary>Waits until the given consumers can all receive work (a partitioned transport's group has balanced).</summary>
    protected virtual Task SharedOutAsync(params IMessageTransport[] consumers) => Task.CompletedTask;

    [Fact]
    public async Task A_published_message_reaches_its_subscriber_with_its_id_and_body()
    {
        var transport = NewTransport();
        var received = new TaskCompletionSource<IncomingMessage>();
        await transport.SubscribeAsync(Queue, (m, _) => { received.TrySetResult(m with { Body = m.Body.ToArray() }); return Task.CompletedTask; }, default);
        var sent = Message();

        await transport.PublishAsync(sent, default);

        var got = await received.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(sent.Id, got.Id);
        Assert.Equal(EventType, got.Type);
        Assert.Equal(sent.Body.ToArray(), got.Body.ToArray());
        Assert.Equal(1, got.Attempt);
    }

    [Fact]
    public Task An_event_nobody_subscribes_to_yet_is_not_lost() => AssertAnEventWithoutSubscribersIsKeptAsync();

    /// <summary>
    /// A queue broker refuses an event no queue is bound to, so the outbox keeps it; a log (Kafka) keeps it in its
    /// topic instead, for a consumer group that starts later.
    /// </summary>
    protected virtual async Task AssertAnEventWithoutSubscribersIsKeptAsync()
    {
        var transport = NewTransport();
        await Assert.ThrowsAsync<UnroutableMessageException>(() =>
            transport.PublishAsync(Message(type: $"nobody.listens.{Guid.NewGuid():N}"), default).WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task A_failed_handler_gets_the_message_again_until_it_succeeds()
    {
        var transport = NewTransport();
        var attempts = new ConcurrentQueue<int>();
        await transport.SubscribeAsync(Queue, (m, _) =>
        {
            attempts.Enqueue(m.Attempt);
            return m.Attempt < 3 ? throw new InvalidOperationException("not yet") : Task.CompletedTask;
        }, default);
        var sent = Message();

        await transport.PublishAsync(sent, default);

        await Eventually.HoldsAsync(() => attempts.Count >= 3, "the message was not redelivered after the handler failed");
        await Task.Delay(300);
        Assert.Equal([1, 2, 3], attempts.ToArray());
        Assert.DoesNotContain(sent.Id, await DeadLetteredIdsAsync(Queue));
    }

    [Fact]
    public async Task A_message_that_always_fails_is_dead_lettered_after_the_delivery_limit()
    {
        var transport = NewTransport();
        var deliveries = 0;
        await transport.SubscribeAsync(Queue, (_, _) =>
        {
            Interlocked.Increment(ref deliveries);
            throw new InvalidOperationException("poison");
        }, default);
        var sent = Message();

        var publish = transport.PublishAsync(sent, default);

        var deadLettered = false;
        await Eventually.HoldsAsync(() =>
            deadLettered || (deadLettered = DeadLetteredIdsAsync(Queue).GetAwaiter().GetResult().Contains(sent.Id)),
            "the poison message never reached the dead-letter queue");
        await publish.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(MaxDeliveries, deliveries);
    }

    [Fact]
    public async Task Dead_letters_are_shown_in_place_replayed_to_their_subscription_once_fixed_and_discarded()
    {
        var transport = NewTransport();
        var poison = Message();
        var fixable = Message();
        var fixedUp = false;
        var handled = new ConcurrentQueue<Guid>();
        await transport.SubscribeAsync(Queue, (m, _) =>
        {
            if (m.Id == poison.Id || !Volatile.Read(ref fixedUp))
                throw new InvalidOperationException("a bug");
            handled.Enqueue(m.Id);
            return Task.CompletedTask;
        }, default);
        await SharedOutAsync(transport);
        var store = DeadLetterStore();
        var place = Assert.Single(store.PlacesOf(Queue.Service, [Queue.EventType]));

        await Task.WhenAll(transport.PublishAsync(poison, default), transport.PublishAsync(fixable, default)).WaitAsync(TimeSpan.FromSeconds(60));
        await Eventually.HoldsAsync(() => store.CountAsync(place, default).GetAwaiter().GetResult() == 2, "both messages were not dead-lettered", timeoutSeconds: 60);

        var shown = await store.PeekAsync(place, 10, default);
        Assert.Equal(new[] { poison.Id, fixable.Id }.Order(), shown.Select(m => Guid.Parse(m.MessageId)).Order());
        Assert.All(shown, m =>
        {
            Assert.Equal(EventType, m.Type);
            Assert.Equal("order-1", m.Subject);
            Assert.False(string.IsNullOrWhiteSpace(m.Reason), "a dead letter should say why it is one");
            Assert.Contains(m.MessageId, m.Body);
        });
        Assert.Single(await store.PeekAsync(place, 1, default));
        Assert.Equal(2, await store.CountAsync(place, default));

        Volatile.Write(ref fixedUp, true);
        Assert.Equal(2, await store.ReplayAsync(place, default));

        await Eventually.HoldsAsync(() => handled.Contains(fixable.Id), "the replayed message was not handled once the fault was fixed", timeoutSeconds: 60);
        // The poison fails again, every allowed delivery, and is back.
        await Eventually.HoldsAsync(() => store.CountAsync(place, default).GetAwaiter().GetResult() == 1, "the poison did not come back to the dead letters", timeoutSeconds: 60);
        Assert.Equal(poison.Id.ToString(), Assert.Single(await store.PeekAsync(place, 10, default)).MessageId);

        Assert.Equal(1, await store.DiscardAsync(place, default));
        Assert.Equal(0, await store.CountAsync(place, default));
        Assert.Empty(await store.PeekAsync(place, 10, default));
        Assert.Equal(0, await store.ReplayAsync(place, default));
        Assert.Equal([fixable.Id], handled.ToArray());
    }

    [Fact]
    public async Task A_watch_sees_what_is_published_after_it_started_and_takes_nothing_from_the_subscriber()
    {
        var transport = NewTransport();
        var handled = new ConcurrentQueue<Guid>();
        await transport.SubscribeAsync(Queue, (m, _) => { handled.Enqueue(m.Id); return Task.CompletedTask; }, default);
        await SharedOutAsync(transport);
        var before = Message();
        await transport.PublishAsync(before, default).WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(() => handled.Contains(before.Id), "the first message was not handled");

        await using var watcher = await BusWatch().StartAsync([EventType], default);
        var sent = Enumerable.Range(0, 5).Select(i => Message(key: $"order-{i}")).ToList();
        foreach (var message in sent)
            await transport.PublishAsync(message, default).WaitAsync(TimeSpan.FromSeconds(30));

        var seen = new List<TransportMessage>();
        using (var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            while (seen.Count < sent.Count)
                seen.Add(await watcher.Messages.ReadAsync(deadline.Token));
        Assert.Equal(sent.Select(m => m.Id).Order(), seen.Select(m => m.Id).Order());
        foreach (var message in seen)
        {
            var original = sent.Single(m => m.Id == message.Id);
            Assert.Equal((EventType, original.Key), (message.Type, message.Key));
            Assert.Equal(original.Body.ToArray(), message.Body.ToArray());
        }
        await Eventually.HoldsAsync(() => sent.All(m => handled.Contains(m.Id)), "the subscriber lost messages to the watch");
        await Task.Delay(300);
        Assert.Equal(sent.Count + 1, handled.Count);
        Assert.False(watcher.Messages.TryRead(out var extra), $"the watch saw {extra?.Id} too");
    }

    /// <summary>A log counts the consumer's lag; a queue broker counts its ready messages.</summary>
    protected virtual bool CountsConsumerLag => false;

    [Fact]
    public async Task Messages_waiting_behind_a_busy_consumer_are_counted_until_they_are_handled()
    {
        const int count = 200;
        var transport = NewTransport();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = 0;
        await transport.SubscribeAsync(Queue, async (_, ct) =>
        {
            await gate.Task.WaitAsync(ct);
            Interlocked.Increment(ref handled);
        }, default);
        await SharedOutAsync(transport);

        // Not awaited one by one: the in-process bus confirms a publish only once it is handled.
        var publishes = Enumerable.Range(0, count).Select(_ => transport.PublishAsync(Message(), default)).ToList();

        // More than the messages a consumer holds unacknowledged (the prefetch, the in-process readers) must be waiting.
        var waiting = await Eventually.ValueAsync(() => transport.BacklogAsync(Queue, default).AsTask(),
            backlog => backlog is { Messages: >= count / 2 }, "a backlog behind the blocked handler");
        Assert.True(waiting!.Value.Messages <= count, $"{waiting.Value.Messages} counted for {count} published");
        Assert.Equal(CountsConsumerLag, waiting.Value.IsConsumerLag);
        gate.SetResult();
        await Eventually.HoldsAsync(() => Volatile.Read(ref handled) == count, "not every message was handled once the handler was free");
        await Eventually.ValueAsync(() => transport.BacklogAsync(Queue, default).AsTask(),
            backlog => backlog is { Messages: 0 }, "an empty backlog once every message was handled");
        await Task.WhenAll(publishes).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_duplicate_delivery_has_no_second_effect_because_of_the_inbox()
    {
        await using var connection = new SqliteConnection($"DataSource=inbox-{Guid.NewGuid():N};Mode=Memory;Cache=Shared");
        await connection.OpenAsync();
        await using var services = InboxServices(connection.ConnectionString);
        await using (var scope = services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<TestDbContext>().Database.EnsureCreatedAsync();
        var dispatcher = services.GetRequiredService<InboxDispatcher<TestDbContext>>();
        var subscription = new EventSubscription(EventType, nameof(RecordEffectHandler),
            (provider, envelope, ct) => provider.GetRequiredService<RecordEffectHandler>().HandleAsync(envelope.DataAs<TestEvent>(), envelope, ct));
        var handled = 0;
        var transport = NewTransport();
        await transport.SubscribeAsync(Queue, async (m, ct) =>
        {
            await dispatcher.DispatchAsync(subscription, m, ct);
            Interlocked.Increment(ref handled);
        }, default);
        var duplicate = Envelope(Guid.NewGuid());

        await transport.PublishAsync(duplicate, default);
        await transport.PublishAsync(duplicate, default);

        await Eventually.HoldsAsync(() => Volatile.Read(ref handled) == 2, "both copies should have been delivered");
        await using var check = services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<TestDbContext>();
        Assert.Equal(1, await db.Effects.CountAsync());
        Assert.Equal(1, await db.Set<Inbox.InboxMessage>().CountAsync());
    }

    [Fact]
    public async Task Competing_consumers_share_one_queue_and_each_message_is_handled_once()
    {
        var first = NewTransport();
        var second = NewTransport();
        var handledBy = new ConcurrentDictionary<Guid, ConcurrentBag<int>>();
        MessageHandler Consumer(int number) => async (m, ct) =>
        {
            handledBy.GetOrAdd(m.Id, _ => []).Add(number);
            await Task.Delay(5, ct);
        };
        await first.SubscribeAsync(Queue, Consumer(1), default);
        await second.SubscribeAsync(Queue, Consumer(2), default);
        await SharedOutAsync(first, second);
        // Many orders: a partitioned transport spreads them by key, a queue by consumer.
        var messages = Enumerable.Range(0, 100).Select(i => Message(key: $"order-{i}")).ToList();

        await Task.WhenAll(messages.Select(m => first.PublishAsync(m, default)));

        await Eventually.HoldsAsync(() => handledBy.Count == messages.Count, "not every message was handled");
        await Task.Delay(300);
        Assert.All(handledBy.Values, consumers => Assert.Single(consumers));
        var counts = handledBy.Values.SelectMany(c => c).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(counts.GetValueOrDefault(1) > 0 && counts.GetValueOrDefault(2) > 0,
            $"both consumers should get work: {counts.GetValueOrDefault(1)} / {counts.GetValueOrDefault(2)}");
    }

    private static TransportMessage Envelope(Guid id)
    {
        var envelope = new EventEnvelope
        {
            Id = id,
            Type = EventType,
            Source = "test",
            Time = DateTimeOffset.UtcNow,
            Subject = "order-1",
            Data = System.Text.Json.JsonSerializer.SerializeToElement(new TestEvent(Guid.NewGuid()), ContractJson.Options),
        };
        return new TransportMessage(id, EventType, "order-1", System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(envelope, ContractJson.Options));
    }

    private static ServiceProvider InboxServices(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddDbContext<TestDbContext>(o => o.UseSqlite(connectionString));
        services.AddSingleton<InboxDispatcher<TestDbContext>>();
        services.AddScoped<RecordEffectHandler>();
        return services.BuildServiceProvider();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var transport in _transports)
            await transport.DisposeAsync();
    }
}

public sealed record TestEvent(Guid OrderId) : IOrderEvent
{
    public static string EventType => "test.event";
}

public sealed class RecordEffectHandler(TestDbContext db) : IIntegrationEventHandler<TestEvent>
{
    public Task HandleAsync(TestEvent integrationEvent, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        db.Effects.Add(new Effect { MessageId = envelope.Id });
        return Task.CompletedTask;
    }
}
