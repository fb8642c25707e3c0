using OrderX.Testing;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderX.Contracts;
using OrderX.Messaging.InMemory;
using OrderX.Messaging.Consumers;
using OrderX.Messaging.Inbox;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Tests;

/// <summary>An outage of the handler's database must not use up a message's deliveries and dead-letter it.</summary>
public sealed class TransientFailureTests
{
    private sealed class OutageDetector : ITransientFailureDetector
    {
        public bool IsTransient(Exception error) => error is TimeoutException;
    }

    public sealed class Outage
    {
        public int RemainingFailures;
        public int Calls;
    }

    public sealed class FlakyHandler(TestDbContext db, Outage outage) : IIntegrationEventHandler<OrderCompleted>
    {
        public Task HandleAsync(OrderCompleted integrationEvent, EventEnvelope envelope, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref outage.Calls);
            if (Interlocked.Decrement(ref outage.RemainingFailures) >= 0)
                throw new TimeoutException("database did not answer");
            db.Effects.Add(new Effect { MessageId = envelope.Id });
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_handler_failing_through_an_outage_longer_than_the_delivery_limit_still_applies_the_message_once()
    {
        var broker = new InMemoryBroker { Policy = new DeliveryPolicy { MaxDeliveries = 3, FirstRetryDelay = TimeSpan.FromMilliseconds(10) } };
        var outage = new Outage { RemainingFailures = 8 };
        await using var host = await TestServiceHost.StartAsync(services =>
        {
            services.AddSingleton<IMessageTransport>(new InMemoryTransport(broker));
            services.AddSingleton<ITransientFailureDetector, OutageDetector>();
            services.AddSingleton(outage);
            services.Configure<TransientRetryOptions>(o => { o.FirstDelay = TimeSpan.FromMilliseconds(10); o.MaxDelay = TimeSpan.FromMilliseconds(20); });
            services.AddOutboxMessaging<TestDbContext>("transient-test").Subscribe<OrderCompleted, FlakyHandler>();
        });
        var provider = host.Services;
        var id = Guid.NewGuid();
        var envelope = new EventEnvelope
        {
            Id = id, Type = OrderCompleted.EventType, Source = "test", Time = DateTimeOffset.UtcNow, Subject = "o",
            Data = JsonSerializer.SerializeToElement(new OrderCompleted(Guid.NewGuid(), Guid.NewGuid(), "a@example.com", 1m, "EUR"), ContractJson.Options),
        };
        await Eventually.HoldsAsync(() => broker.DeadLetters.Count == 0 && broker.TryPublish(envelope), "the consumer never subscribed");

        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        await Eventually.HoldsAsync(() => db.Effects.AsNoTracking().Any(e => e.MessageId == id), "the message was never applied");
        Assert.Equal(9, outage.Calls);
        Assert.Empty(broker.DeadLetters);
        Assert.Equal(1, await db.Effects.CountAsync());
    }

    public sealed class CollidingHandler(TestDbContext db, Outage outage) : IIntegrationEventHandler<OrderCompleted>
    {
        public const long TakenId = 42;

        public Task HandleAsync(OrderCompleted integrationEvent, EventEnvelope envelope, CancellationToken cancellationToken)
        {
            // The first attempt inserts a key another writer already holds, as a racing handler would have.
            var first = Interlocked.Increment(ref outage.Calls) == 1;
            db.Effects.Add(first ? new Effect { Id = TakenId, MessageId = envelope.Id } : new Effect { MessageId = envelope.Id });
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_save_that_collides_with_a_concurrent_write_is_handled_again_at_once_without_a_redelivery()
    {
        // One delivery only: a redelivery would dead-letter the message instead of applying it.
        var broker = new InMemoryBroker { Policy = new DeliveryPolicy { MaxDeliveries = 1 } };
        var outage = new Outage();
        await using var host = await TestServiceHost.StartAsync(services =>
        {
            services.AddSingleton<IMessageTransport>(new InMemoryTransport(broker));
            services.AddSingleton(outage);
            services.AddOutboxMessaging<TestDbContext>("collision-test").Subscribe<OrderCompleted, CollidingHandler>();
        });
        await using (var seed = host.Services.CreateAsyncScope())
        {
            var seedDb = seed.ServiceProvider.GetRequiredService<TestDbContext>();
            seedDb.Effects.Add(new Effect { Id = CollidingHandler.TakenId, MessageId = Guid.NewGuid() });
            await seedDb.SaveChangesAsync();
        }
        var id = Guid.NewGuid();
        var envelope = new EventEnvelope
        {
            Id = id, Type = OrderCompleted.EventType, Source = "test", Time = DateTimeOffset.UtcNow, Subject = "o",
            Data = JsonSerializer.SerializeToElement(new OrderCompleted(Guid.NewGuid(), Guid.NewGuid(), "a@example.com", 1m, "EUR"), ContractJson.Options),
        };
        await Eventually.HoldsAsync(() => broker.TryPublish(envelope), "the consumer never subscribed");

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        await Eventually.HoldsAsync(() => db.Effects.AsNoTracking().Any(e => e.MessageId == id) || broker.DeadLetters.Count > 0, "the message was never settled");
        Assert.Empty(broker.DeadLetters);
        Assert.Equal(2, outage.Calls);
    }
}
