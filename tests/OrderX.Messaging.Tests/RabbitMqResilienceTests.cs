using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OrderX.Messaging.RabbitMQ;
using OrderX.Messaging.Transport;
using OrderX.Testing;

namespace OrderX.Messaging.Tests;

/// <summary>A real RabbitMQ behind a proxy the test controls: the broker is late, or vanishes for a moment.</summary>
public sealed class RabbitMqResilienceTests : IAsyncLifetime
{
    private readonly TcpProxy _proxy = new(TestInfrastructure.RabbitMqHost, 5672);
    private readonly RabbitMqOptions _options;
    private readonly Subscription _queue = new($"resilience-{TestInfrastructure.UniqueSuffix()}", "resilience.tested");
    private RabbitMqTransport? _transport;

    public RabbitMqResilienceTests()
    {
        _options = new RabbitMqOptions { Host = "127.0.0.1", Port = _proxy.Port, Exchange = $"orderx-test-{TestInfrastructure.UniqueSuffix()}" };
    }

    private readonly RecordingLoggerProvider _logs = new();

    private RabbitMqTransport Transport() =>
        _transport = new RabbitMqTransport(Options.Create(_options), _logs.CreateLogger<RabbitMqTransport>(), "orderx-resilience-test");

    private static TransportMessage Message() => new(Guid.NewGuid(), "resilience.tested", "order-1", Encoding.UTF8.GetBytes("{}"));

    [Fact]
    public async Task A_service_started_before_the_broker_waits_and_connects_when_the_broker_comes_up()
    {
        var transport = Transport();
        var received = new ConcurrentQueue<Guid>();
        var subscribing = transport.SubscribeAsync(_queue, (m, _) => { received.Enqueue(m.Id); return Task.CompletedTask; }, default);
        await Task.Delay(1500);
        Assert.False(transport.IsConnected);
        Assert.False(subscribing.IsCompleted);

        _proxy.Start();
        await subscribing.WaitAsync(TimeSpan.FromSeconds(20));
        var sent = Message();
        await transport.PublishAsync(sent, default);

        await Eventually.HoldsAsync(() => received.Contains(sent.Id), "the late-connected consumer got nothing");
    }

    [Fact]
    public async Task After_the_connection_is_cut_the_transport_recovers_and_consuming_goes_on()
    {
        // The outage is counted too, for this proxy's port only (other tests' transports record their own).
        var outages = new ConcurrentQueue<(string Instrument, double Value)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MessagingMetrics.MeterName && instrument.Name.StartsWith("orderx.transport.", StringComparison.Ordinal))
                l.EnableMeasurementEvents(instrument);
        };
        void Record(System.Diagnostics.Metrics.Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
                if (tag.Key == "server.port" && Equals(tag.Value, _proxy.Port))
                    outages.Enqueue((instrument.Name, value));
        }
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();
        _proxy.Start();
        var transport = Transport();
        var received = new ConcurrentQueue<Guid>();
        await transport.SubscribeAsync(_queue, (m, _) => { received.Enqueue(m.Id); return Task.CompletedTask; }, default);
        var before = Message();
        await transport.PublishAsync(before, default);
        await Eventually.HoldsAsync(() => received.Contains(before.Id), "nothing delivered before the cut");

        _proxy.Stop();
        await Eventually.HoldsAsync(() => !transport.IsConnected, "the cut was not noticed", timeoutSeconds: 30);
        _proxy.Start();
        await Eventually.HoldsAsync(() => transport.IsConnected, "the connection did not recover", timeoutSeconds: 30);

        var after = Message();
        await RetryUntilConfirmedAsync(() => transport.PublishAsync(after, default));
        await Eventually.HoldsAsync(() => received.Contains(after.Id), "the recovered consumer got nothing", timeoutSeconds: 30);
        // The outage was said out loud: when it began, and when it ended.
        await Eventually.HoldsAsync(() => _logs.Entries.Any(e => e.Message.StartsWith("Reconnected to RabbitMQ", StringComparison.Ordinal)),
            "the recovery was never logged");
        Assert.Contains(_logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.StartsWith("Lost the connection to RabbitMQ", StringComparison.Ordinal));
        Assert.Contains(outages, o => o.Instrument == "orderx.transport.connection.losses" && o.Value == 1);
        Assert.Contains(outages, o => o.Instrument == "orderx.transport.outage.duration" && o.Value > 0);
    }

    [Fact]
    public async Task A_wrong_password_is_reported_as_a_refused_login_not_as_an_unreachable_broker()
    {
        var logs = new RecordingLoggerProvider();
        var options = new RabbitMqOptions { Host = TestInfrastructure.RabbitMqHost, Password = "not-the-password", Exchange = _options.Exchange };
        _transport = new RabbitMqTransport(Options.Create(options), logs.CreateLogger<RabbitMqTransport>(), "orderx-wrong-password-test");

        await Eventually.HoldsAsync(() => logs.Entries.Any(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error), "the refused login was never reported", timeoutSeconds: 30);

        var refused = logs.Entries.First(e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error).Message;
        Assert.Contains("refused the login of user 'guest'", refused);
        Assert.DoesNotContain("reachable", refused);
        Assert.False(_transport.IsConnected);
    }

    // Right after recovery the publish channel may still be reopening; the outbox relay retries the same way.
    private static async Task RetryUntilConfirmedAsync(Func<Task> publish)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await publish().WaitAsync(TimeSpan.FromSeconds(5));
                return;
            }
            catch (Exception) when (attempt < 20)
            {
                await Task.Delay(500);
            }
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_transport is not null)
            await _transport.DisposeAsync();
        await _proxy.DisposeAsync();
        await TestBroker.DeleteAsync(_options.Exchange, [$"{_options.Exchange}.{_queue.QueueName}"]);
    }
}
