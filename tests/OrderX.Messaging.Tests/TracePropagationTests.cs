using OrderX.Testing;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OrderX.Contracts;
using OrderX.Messaging.InMemory;
using OrderX.Messaging.Consumers;
using OrderX.Messaging.Inbox;
using OrderX.Messaging.Outbox;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Tests;

/// <summary>A request's trace continues through the outbox, the bus and every handler the order reaches.</summary>
public sealed class TracePropagationTests
{
    public sealed class Seen
    {
        public readonly TaskCompletionSource<ActivityTraceId> SecondHop = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public sealed class FirstHopHandler(TestDbContext db, OutboxWriter outbox) : IIntegrationEventHandler<OrderCreated>
    {
        public Task HandleAsync(OrderCreated e, EventEnvelope envelope, CancellationToken cancellationToken)
        {
            outbox.Add(db, new OrderCompleted(e.OrderId, e.UserId, e.CustomerEmail, e.Total, e.Currency));
            return Task.CompletedTask;
        }
    }

    public sealed class SecondHopHandler(Seen seen) : IIntegrationEventHandler<OrderCompleted>
    {
        public Task HandleAsync(OrderCompleted e, EventEnvelope envelope, CancellationToken cancellationToken)
        {
            seen.SecondHop.TrySetResult(Activity.Current?.TraceId ?? default);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task An_order_started_by_a_request_stays_one_trace_through_every_publish_and_handler()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var requests = new ActivitySource("test.requests");
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is MessagingTelemetry.SourceName or "test.requests",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await using var host = await TestServiceHost.StartAsync(services =>
        {
            services.AddSingleton<IMessageTransport>(new InMemoryTransport(new InMemoryBroker()));
            services.AddSingleton<Seen>();
            services.AddOutboxMessaging<TestDbContext>("trace-test")
                .Subscribe<OrderCreated, FirstHopHandler>()
                .Subscribe<OrderCompleted, SecondHopHandler>();
        });
        var provider = host.Services;
        ActivityTraceId requestTrace;
        var orderId = Guid.NewGuid();
        using (var request = requests.StartActivity("POST /order", ActivityKind.Server)!)
        {
            requestTrace = request.TraceId;
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            scope.ServiceProvider.GetRequiredService<OutboxWriter>().Add(db, new OrderCreated(orderId, Guid.NewGuid(), "a@example.com", 10m, "EUR", []));
            await db.SaveChangesAsync();
        }

        var secondHopTrace = await provider.GetRequiredService<Seen>().SecondHop.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(requestTrace, secondHopTrace);
        // The listener hears every test running in this process; only this order's spans count.
        List<Activity> Spans() => stopped.Where(a => a.Source.Name == MessagingTelemetry.SourceName && a.GetTagItem("orderx.order_id") as string == orderId.ToString()).ToList();
        await Eventually.HoldsAsync(() => Spans().Count >= 4, "publish and process spans are missing");
        var spans = Spans();
        Assert.Superset(new HashSet<string> { "publish order.created", "process order.created", "publish order.completed", "process order.completed" },
            spans.Select(s => s.DisplayName).ToHashSet());
        Assert.All(spans, s => Assert.Equal(requestTrace, s.TraceId));
    }
}
