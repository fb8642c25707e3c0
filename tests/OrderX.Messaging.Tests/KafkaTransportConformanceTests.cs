using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderX.Messaging.Kafka;
using OrderX.Messaging.Transport;
using OrderX.Testing;

namespace OrderX.Messaging.Tests;

/// <summary>
/// The conformance suite against Kafka: librdkafka's mock cluster here (KafkaTestCluster), a real broker when
/// ORDERX_KAFKA_BOOTSTRAP names one. Topics and groups carry a prefix of their own.
/// </summary>
public sealed class KafkaTransportConformanceTests : TransportConformanceTests
{
    private readonly KafkaOptions _options = new()
    {
        BootstrapServers = KafkaTestCluster.BootstrapServers,
        Prefix = $"t{TestInfrastructure.UniqueSuffix()}.",
        MaxDeliveries = MaxDeliveries,
    };

    protected override IMessageTransport Connect() =>
        new KafkaTransport(Options.Create(_options), NullLogger<KafkaTransport>.Instance, "orderx-conformance-test");

    protected override Task<IReadOnlyList<Guid>> DeadLetteredIdsAsync(Subscription subscription) =>
        Task.Run<IReadOnlyList<Guid>>(() => KafkaTestCluster.ReadAll(new KafkaNames(_options.Prefix).DeadLetterTopic(subscription.Service))
            .Select(r => Guid.Parse(KafkaTransport.HeaderText(r.Message.Headers, KafkaHeaders.Id)!)).ToList());

    protected override bool CountsConsumerLag => true;

    protected override async Task SharedOutAsync(params IMessageTransport[] consumers) =>
        await Eventually.HoldsAsync(() => consumers.Cast<KafkaTransport>().All(c => c.AssignedPartitions > 0),
            "the consumer group never gave every member a partition", timeoutSeconds: 60);

    protected override async Task AssertAnEventWithoutSubscribersIsKeptAsync()
    {
        var publisher = NewTransport();
        var sent = Message();
        await publisher.PublishAsync(sent, default).WaitAsync(TimeSpan.FromSeconds(30));

        var received = new TaskCompletionSource<Guid>();
        var latecomer = NewTransport();
        await latecomer.SubscribeAsync(Queue, (m, _) => { received.TrySetResult(m.Id); return Task.CompletedTask; }, default);

        Assert.Equal(sent.Id, await received.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_dead_letter_carries_the_error_the_original_place_and_the_delivery_count()
    {
        var transport = NewTransport();
        await transport.SubscribeAsync(Queue, (_, _) => throw new InvalidOperationException("poison pill"), default);
        var sent = Message();

        await transport.PublishAsync(sent, default);

        var deadLetter = await Eventually.ValueAsync(() => Task.Run(() => KafkaTestCluster.ReadAll(new KafkaNames(_options.Prefix).DeadLetterTopic(Queue.Service))),
            letters => letters.Count > 0, "the dead letter");
        var headers = Assert.Single(deadLetter).Message.Headers;
        Assert.Equal(sent.Id.ToString(), KafkaTransport.HeaderText(headers, KafkaHeaders.Id));
        Assert.Contains("poison pill", KafkaTransport.HeaderText(headers, KafkaHeaders.Error));
        Assert.Equal(_options.Prefix + Queue.EventType, KafkaTransport.HeaderText(headers, KafkaHeaders.OriginalTopic));
        Assert.Equal(MaxDeliveries.ToString(), KafkaTransport.HeaderText(headers, KafkaHeaders.Deliveries));
        Assert.NotNull(KafkaTransport.HeaderText(headers, KafkaHeaders.OriginalOffset));
    }

    protected override IDeadLetterStore DeadLetterStore() => new KafkaDeadLetterStore(_options);

    protected override IBusWatch BusWatch() => new KafkaBusWatch(_options);

    [Fact]
    public async Task Messages_of_one_key_are_handled_in_the_order_they_were_published()
    {
        var transport = NewTransport();
        var seen = new List<Guid>();
        await transport.SubscribeAsync(Queue, async (m, _) => { lock (seen) seen.Add(m.Id); await Task.Delay(1); }, default);
        var sent = Enumerable.Range(0, 50).Select(_ => Message(key: "one-order")).ToList();

        foreach (var message in sent)
            await transport.PublishAsync(message, default);

        await Eventually.HoldsAsync(() => { lock (seen) return seen.Count == sent.Count; }, "not every message arrived", timeoutSeconds: 60);
        Assert.Equal(sent.Select(m => m.Id), seen);
    }

    [Fact]
    public async Task A_consumer_that_stops_before_committing_leaves_its_message_to_the_next_one()
    {
        var first = NewTransport();
        var holding = new TaskCompletionSource();
        await first.SubscribeAsync(Queue, async (_, ct) => { holding.TrySetResult(); await Task.Delay(Timeout.Infinite, ct); }, default);
        var sent = Message();
        await first.PublishAsync(sent, default);
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(60));

        await first.DisposeAsync();
        var received = new TaskCompletionSource<Guid>();
        var second = NewTransport();
        await second.SubscribeAsync(Queue, (m, _) => { received.TrySetResult(m.Id); return Task.CompletedTask; }, default);

        Assert.Equal(sent.Id, await received.Task.WaitAsync(TimeSpan.FromSeconds(60)));
    }
}
