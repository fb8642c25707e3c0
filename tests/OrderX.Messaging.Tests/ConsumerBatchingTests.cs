using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderX.Contracts;
using OrderX.Messaging.InMemory;
using OrderX.Messaging.Consumers;
using OrderX.Messaging.Inbox;
using OrderX.Messaging.Transport;
using OrderX.Testing;

namespace OrderX.Messaging.Tests;

/// <summary>Group commit in the consumer: deliveries that queue up share one unit of work (one save, all or nothing), and a bad one spoils none of the others.</summary>
public sealed class ConsumerBatchingTests
{
    public sealed class Probe
    {
        public readonly TaskCompletionSource FirstEntered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource ReleaseFirst = new(TaskCreationOptions.RunContinuationsAsynchronously);
        // The unit of work each delivery was handled in: a context's lease ends with its save.
        public readonly ConcurrentDictionary<Guid, DbContextId> UnitOfWorkOf = new();
        public readonly ConcurrentDictionary<Guid, int> Calls = new();
        // Every handler call in the order it happened, with its unit of work.
        public readonly ConcurrentQueue<(Guid Id, DbContextId UnitOfWork)> CallOrder = new();
        public readonly ConcurrentQueue<(DbContextId UnitOfWork, List<Guid> Ids, int AlreadyHandled)> Preloads = new();
        public Guid First;
        public Guid Poison;
    }

    public sealed class ProbePreloader(Probe probe) : IBatchPreloader<TestDbContext>
    {
        public Task PreloadAsync(TestDbContext db, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
        {
            probe.Preloads.Enqueue((db.ContextId, envelopes.Select(e => e.Id).ToList(), envelopes.Count(e => probe.Calls.ContainsKey(e.Id))));
            return Task.CompletedTask;
        }
    }

    public sealed class ProbeHandler(TestDbContext db, Probe probe) : IIntegrationEventHandler<OrderCompleted>
    {
        public async Task HandleAsync(OrderCompleted integrationEvent, EventEnvelope envelope, CancellationToken cancellationToken)
        {
            probe.Calls.AddOrUpdate(envelope.Id, 1, (_, n) => n + 1);
            probe.CallOrder.Enqueue((envelope.Id, db.ContextId));
            if (envelope.Id == probe.First)
            {
                probe.FirstEntered.TrySetResult();
                await probe.ReleaseFirst.Task.WaitAsync(cancellationToken);
            }
            if (envelope.Id == probe.Poison)
                throw new InvalidOperationException("this message can never be handled");
            probe.UnitOfWorkOf[envelope.Id] = db.ContextId;
            db.Effects.Add(new Effect { MessageId = envelope.Id });
        }
    }

    [Fact]
    public async Task Deliveries_that_arrive_while_one_is_handled_are_handled_together_in_one_unit_of_work()
    {
        var (host, broker, probe) = await StartAsync();
        await using var _ = host;
        var later = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();

        await PublishWhileFirstIsHeldAsync(broker, probe, later);

        await Eventually.HoldsAsync(() => EffectsAsync(host).Result.Count == 6, "not every message was applied");
        var unitsOfWork = later.Select(id => probe.UnitOfWorkOf[id]).Distinct().ToList();
        Assert.Single(unitsOfWork);
        Assert.NotEqual(probe.UnitOfWorkOf[probe.First], unitsOfWork[0]);
        Assert.All(later, id => Assert.Equal(1, probe.Calls[id]));
    }

    [Fact]
    public async Task A_batch_is_preloaded_once_with_its_deliveries_before_their_handlers_run_in_its_unit_of_work()
    {
        var (host, broker, probe) = await StartAsync(preload: true);
        await using var _ = host;
        var later = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();

        await PublishWhileFirstIsHeldAsync(broker, probe, later);

        await Eventually.HoldsAsync(() => EffectsAsync(host).Result.Count == 6, "not every message was applied");
        // The first delivery was handled alone: one delivery is never preloaded (its own look-up is the same query).
        var preload = Assert.Single(probe.Preloads);
        Assert.Equal(later.Order(), preload.Ids.Order());
        Assert.Equal(0, preload.AlreadyHandled);
        Assert.Equal(probe.UnitOfWorkOf[later[0]], preload.UnitOfWork);
    }

    [Fact]
    public async Task A_message_that_fails_in_a_batch_is_dead_lettered_alone_and_the_rest_of_its_batch_is_applied_once()
    {
        var (host, broker, probe) = await StartAsync();
        await using var _ = host;
        probe.Poison = Guid.NewGuid();
        var good = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToList();

        await PublishWhileFirstIsHeldAsync(broker, probe, [good[0], good[1], probe.Poison, good[2], good[3]]);

        await Eventually.HoldsAsync(() => broker.DeadLetters.Count == 1, "the failing message was never dead-lettered");
        await Eventually.HoldsAsync(() => EffectsAsync(host).Result.Count == 5, "the good messages were not all applied");
        var effects = await EffectsAsync(host);
        Assert.Equal(good.Append(probe.First).Order(), effects.Order());
        // Those before the bad one in its batch ran there and again on their own; those after it only on their own.
        // Concurrent readers hand the deliveries to the lane in any order, so the batch's order is read back.
        var calls = probe.CallOrder.ToList();
        var failedBatch = calls.First(c => c.Id == probe.Poison).UnitOfWork;
        var beforeThePoison = calls.Where(c => c.UnitOfWork == failedBatch).Select(c => c.Id).TakeWhile(id => id != probe.Poison).ToHashSet();
        Assert.All(good, id => Assert.Equal(beforeThePoison.Contains(id) ? 2 : 1, probe.Calls[id]));
        Assert.DoesNotContain(probe.Poison, effects);
        Assert.Equal(probe.Poison, broker.DeadLetters.Single().Message.Id);
    }

    [Fact]
    public async Task The_same_message_delivered_twice_in_one_batch_is_applied_once()
    {
        var (host, broker, probe) = await StartAsync();
        await using var _ = host;
        var twice = Guid.NewGuid();
        var other = Guid.NewGuid();

        await PublishWhileFirstIsHeldAsync(broker, probe, [twice, other, twice]);

        await Eventually.HoldsAsync(() => EffectsAsync(host).Result.Count >= 3, "the messages were not applied");
        await Task.Delay(200);
        var effects = await EffectsAsync(host);
        Assert.Equal(3, effects.Count);
        Assert.Single(effects, id => id == twice);
        Assert.Equal(1, probe.Calls[twice]);
    }

    [Fact]
    public async Task A_message_handled_before_and_delivered_again_in_a_batch_has_no_second_effect_and_the_rest_of_the_batch_is_applied()
    {
        var (host, broker, probe) = await StartAsync(preload: true);
        await using var _ = host;
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());

        // The first message again, queued behind itself: by the time the batch runs, the first has committed.
        await PublishWhileFirstIsHeldAsync(broker, probe, [a, probe.First, b]);

        await Eventually.HoldsAsync(() => EffectsAsync(host).Result.Count >= 3, "the messages were not applied");
        await Eventually.HoldsAsync(() => broker.TryGetQueue(new Subscription("batch-test", OrderCompleted.EventType).QueueName, out var queue)
            && queue.Unacknowledged == 0, "not every delivery was settled");
        var effects = await EffectsAsync(host);
        Assert.Equal(new[] { probe.First, a, b }.Order(), effects.Order());
        Assert.Empty(broker.DeadLetters);
        // No look-up before the batch: the repeat's inbox row refused the batch's save, nothing of it was kept, and each
        // delivery ran again on its own, where the repeat was recognised and the others committed.
        var unitsOfWork = probe.CallOrder.GroupBy(c => c.UnitOfWork, c => c.Id).ToList();
        var refusedBatch = Assert.Single(unitsOfWork, u => u.Order().SequenceEqual(new[] { probe.First, a, b }.Order()));
        Assert.Equal((3, 2, 2), (probe.Calls[probe.First], probe.Calls[a], probe.Calls[b]));
        Assert.All(new[] { a, b }, id => Assert.NotEqual(refusedBatch.Key, probe.UnitOfWorkOf[id]));
        await using var scope = host.Services.CreateAsyncScope();
        var inbox = await scope.ServiceProvider.GetRequiredService<TestDbContext>().Set<InboxMessage>().AsNoTracking().Select(m => m.MessageId).ToListAsync();
        Assert.Equal(new[] { probe.First, a, b }.Order(), inbox.Order());
    }

    [Fact]
    public async Task Under_load_a_lane_waits_the_linger_for_deliveries_that_arrive_just_after_and_handles_them_together()
    {
        var (host, broker, probe) = await StartAsync(linger: TimeSpan.FromSeconds(3));
        await using var _ = host;
        var (a, b, c, d) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        // A batch of two: the lane is busy, so its next batch waits for more.
        await PublishWhileFirstIsHeldAsync(broker, probe, [a, b]);
        await Eventually.HoldsAsync(() => EffectsAsync(host).Result.Count == 3, "the first batch was not applied");

        Assert.True(TryPublishOrderCompleted(broker, c));
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.True(TryPublishOrderCompleted(broker, d));

        await Eventually.HoldsAsync(() => EffectsAsync(host).Result.Count == 5, "the later deliveries were not applied");
        Assert.Equal(probe.UnitOfWorkOf[a], probe.UnitOfWorkOf[b]);
        Assert.Equal(probe.UnitOfWorkOf[c], probe.UnitOfWorkOf[d]);
        Assert.NotEqual(probe.UnitOfWorkOf[a], probe.UnitOfWorkOf[c]);
    }

    [Fact]
    public async Task A_lane_that_handled_one_delivery_handles_the_next_without_waiting_the_linger()
    {
        var (host, broker, probe) = await StartAsync(linger: TimeSpan.FromSeconds(30));
        await using var _ = host;
        probe.ReleaseFirst.SetResult();
        await Eventually.HoldsAsync(() => TryPublishOrderCompleted(broker, probe.First), "the consumer never subscribed");
        await Eventually.HoldsAsync(() => EffectsAsync(host).Result.Count == 1, "the first delivery was not applied");

        var next = Guid.NewGuid();
        var published = DateTime.UtcNow;
        Assert.True(TryPublishOrderCompleted(broker, next));

        await Eventually.HoldsAsync(() => EffectsAsync(host).Result.Contains(next), "the next delivery was not applied");
        Assert.True(DateTime.UtcNow - published < TimeSpan.FromSeconds(15), "the delivery waited for the linger");
    }

    private static async Task<(TestServiceHost Host, InMemoryBroker Broker, Probe Probe)> StartAsync(bool preload = false, TimeSpan? linger = null)
    {
        var broker = new InMemoryBroker { Policy = new DeliveryPolicy { MaxDeliveries = 1 } };
        var probe = new Probe { First = Guid.NewGuid() };
        var host = await TestServiceHost.StartAsync(services =>
        {
            services.AddSingleton<IMessageTransport>(new InMemoryTransport(broker));
            services.AddSingleton(probe);
            // One batch at a time, so whatever queues behind the held first message forms the next batch.
            services.Configure<MessagingOptions>(o =>
            {
                o.ConsumerParallelBatches = 1;
                o.ConsumerBatchLinger = linger ?? TimeSpan.Zero;
            });
            services.AddOutboxMessaging<TestDbContext>("batch-test").Subscribe<OrderCompleted, ProbeHandler>();
            if (preload)
                services.AddScoped<IBatchPreloader<TestDbContext>, ProbePreloader>();
        });
        return (host, broker, probe);
    }

    private static async Task PublishWhileFirstIsHeldAsync(InMemoryBroker broker, Probe probe, IReadOnlyList<Guid> later)
    {
        await Eventually.HoldsAsync(() => TryPublishOrderCompleted(broker, probe.First), "the consumer never subscribed");
        await probe.FirstEntered.Task.WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var id in later)
            Assert.True(TryPublishOrderCompleted(broker, id));
        // Every later delivery is waiting in the consumer before the first one finishes: taken off the queue and
        // handed to its lane (on a loaded machine the reader that took one may run much later).
        Assert.True(broker.TryGetQueue(new Subscription("batch-test", OrderCompleted.EventType).QueueName, out var queue));
        await Eventually.HoldsAsync(() => queue.Waiting == 0 && queue.Unacknowledged == later.Count + 1, "the consumer did not take the later deliveries");
        probe.ReleaseFirst.SetResult();
    }

    private static async Task<List<Guid>> EffectsAsync(TestServiceHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TestDbContext>().Effects.AsNoTracking().Select(e => e.MessageId).ToListAsync();
    }

    private static bool TryPublishOrderCompleted(InMemoryBroker broker, Guid id)
    {
        var envelope = new EventEnvelope
        {
            Id = id, Type = OrderCompleted.EventType, Source = "test", Time = DateTimeOffset.UtcNow, Subject = "o",
            Data = JsonSerializer.SerializeToElement(new OrderCompleted(Guid.NewGuid(), Guid.NewGuid(), "a@example.com", 1m, "EUR"), ContractJson.Options),
        };
        return broker.TryPublish(envelope);
    }
}
