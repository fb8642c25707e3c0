using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging;

/// <summary>
/// What the outbox, the inbox, the consumers and the transports do, as OpenTelemetry instruments (one definition
/// for every service; each process's exporter tells them apart by its service name). Names follow the messaging
/// semantic conventions where one exists (<c>messaging.client.sent.messages</c>, <c>messaging.client.consumed.messages</c>,
/// <c>messaging.process.duration</c>); the rest are OrderX's own, under <c>orderx.</c>.
/// </summary>
public static class MessagingMetrics
{
    public const string MeterName = "OrderX.Messaging";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Sent = Meter.CreateCounter<long>(
        "messaging.client.sent.messages", "{message}", "Events the outbox relay published: confirmed by the broker, or failed (error.type).");
    private static readonly Counter<long> Consumed = Meter.CreateCounter<long>(
        "messaging.client.consumed.messages", "{message}", "Deliveries handed to this service's handlers, per subscription.");
    private static readonly Histogram<double> ProcessDuration = Meter.CreateHistogram<double>(
        "messaging.process.duration", "s", "Time to handle one delivery or one batch of them, failures (error.type) included.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "orderx.consumer.batch.size", "{message}", "Deliveries handled in one unit of work.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] });
    private static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "orderx.consumer.retries", "{retry}", "Handlings tried again in place: a dependency down (transient), a row changed concurrently (conflict), a key inserted concurrently (collision).");
    private static readonly Counter<long> Redelivered = Meter.CreateCounter<long>(
        "orderx.messaging.redelivered", "{message}", "Deliveries that failed and were given back to the broker for a later attempt.");
    private static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>(
        "orderx.messaging.dead_lettered", "{message}", "Deliveries that failed their last allowed attempt and were moved to the dead letters.");
    private static readonly Counter<long> ConnectionLosses = Meter.CreateCounter<long>(
        "orderx.transport.connection.losses", "{outage}", "Times the connection to the broker was lost (not closed by OrderX).");
    private static readonly Counter<long> ReconnectFailures = Meter.CreateCounter<long>(
        "orderx.transport.reconnect.failures", "{attempt}", "Attempts to reconnect to the broker that failed.");
    private static readonly Histogram<double> OutageDuration = Meter.CreateHistogram<double>(
        "orderx.transport.outage.duration", "s", "From losing the connection to the broker to being connected again.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2.5, 5, 10, 30, 60, 300, 900] });
    private static readonly Counter<long> Duplicates = Meter.CreateCounter<long>(
        "orderx.inbox.duplicates", "{message}", "Deliveries of a message already handled, absorbed by the inbox.");

    // One process may hold several services (the embedded all-in-one): their backlogs are told apart by orderx.service.
    private static readonly ConcurrentDictionary<string, Func<(long Pending, double OldestAgeSeconds)>> Backlogs = new();
    private static readonly ConcurrentDictionary<string, SubscriptionBacklog> Waiting = new();

    static MessagingMetrics()
    {
        Meter.CreateObservableGauge("orderx.outbox.pending",
            () => Backlogs.Select(b => new Measurement<long>(b.Value().Pending, new KeyValuePair<string, object?>(ServiceTag, b.Key))),
            "{message}", "Outbox rows not yet confirmed by the broker.");
        Meter.CreateObservableGauge("orderx.outbox.oldest.age",
            () => Backlogs.Select(b => new Measurement<double>(b.Value().OldestAgeSeconds, new KeyValuePair<string, object?>(ServiceTag, b.Key))),
            "s", "Age of the oldest outbox row not yet confirmed by the broker (0 when there is none).");
        Meter.CreateObservableGauge("orderx.consumer.queue.depth", () => WaitingMeasurements(consumerLag: false),
            "{message}", "Messages ready in the subscription's queue and not yet delivered to a consumer (RabbitMQ, the in-process bus); every instance sees the whole queue.");
        Meter.CreateObservableGauge("orderx.consumer.lag", () => WaitingMeasurements(consumerLag: true),
            "{message}", "Offsets not yet handled on the partitions this instance holds (Kafka): the instances add up to the group's lag.");
    }

    private static IEnumerable<Measurement<long>> WaitingMeasurements(bool consumerLag) =>
        Waiting.Where(w => w.Value.IsConsumerLag == consumerLag)
            .Select(w => new Measurement<long>(w.Value.Messages, new KeyValuePair<string, object?>(SubscriptionTag, w.Key)));

    private const string SubscriptionTag = "messaging.destination.subscription.name";

    public const string ServiceTag = "orderx.service";

    public static void Published(string service, string type, int count) =>
        Sent.Add(count, new TagList { { ServiceTag, service }, { "messaging.destination.name", type } });

    public static void PublishFailed(string service, string type, Exception error) =>
        Sent.Add(1, new TagList { { ServiceTag, service }, { "messaging.destination.name", type }, { "error.type", error.GetType().Name } });

    public static void Handled(string subscription, int count, TimeSpan took, Exception? error = null)
    {
        var tags = new TagList { { SubscriptionTag, subscription } };
        if (error is not null)
            tags.Add("error.type", error.GetType().Name);
        else
            Consumed.Add(count, tags);
        ProcessDuration.Record(took.TotalSeconds, tags);
        if (error is null)
            BatchSize.Record(count);
    }

    /// <summary>
    /// Starts a subscription's counters at zero: Prometheus sees no increase in a series whose first sample is already
    /// 1, so a first dead letter would raise no alert.
    /// </summary>
    public static void Subscribed(string subscription)
    {
        var tag = new KeyValuePair<string, object?>(SubscriptionTag, subscription);
        Consumed.Add(0, tag);
        Redelivered.Add(0, tag);
        DeadLettered.Add(0, tag);
        Duplicates.Add(0, tag);
    }

    public static void Retried(string subscription, string reason) =>
        Retries.Add(1, new TagList { { SubscriptionTag, subscription }, { "orderx.retry.reason", reason } });

    public static void GivenBack(string subscription) =>
        Redelivered.Add(1, new KeyValuePair<string, object?>(SubscriptionTag, subscription));

    public static void MovedToDeadLetters(string subscription) =>
        DeadLettered.Add(1, new KeyValuePair<string, object?>(SubscriptionTag, subscription));

    public static void Duplicate(string subscription) =>
        Duplicates.Add(1, new KeyValuePair<string, object?>(SubscriptionTag, subscription));

    public static void ConnectionLost(string system, string host, int port) => ConnectionLosses.Add(1, Broker(system, host, port));

    public static void ReconnectFailed(string system, string host, int port) => ReconnectFailures.Add(1, Broker(system, host, port));

    public static void Reconnected(string system, string host, int port, TimeSpan outage) => OutageDuration.Record(outage.TotalSeconds, Broker(system, host, port));

    private static TagList Broker(string system, string host, int port) =>
        new() { { "messaging.system", system }, { "server.address", host }, { "server.port", port } };

    /// <summary>Reports what waits for a subscription at its broker, as last sampled by the consumer host.</summary>
    public static void ObserveWaiting(string subscription, SubscriptionBacklog backlog) => Waiting[subscription] = backlog;

    /// <summary>Reports a service's outbox backlog, as last sampled by <see cref="Outbox.OutboxBacklogSampler{TContext}"/>.</summary>
    public static void ObserveBacklog(string service, Func<(long Pending, double OldestAgeSeconds)> sample) => Backlogs[service] = sample;
}
