using OrderX.Messaging.InMemory;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Tests;

public sealed class InMemoryTransportConformanceTests : TransportConformanceTests
{
    private readonly InMemoryBroker _broker = new()
    {
        Policy = new DeliveryPolicy { MaxDeliveries = MaxDeliveries, FirstRetryDelay = TimeSpan.FromMilliseconds(20) },
    };

    protected override IMessageTransport Connect() => new InMemoryTransport(_broker);

    protected override Task<IReadOnlyList<Guid>> DeadLetteredIdsAsync(Subscription subscription) =>
        Task.FromResult<IReadOnlyList<Guid>>(_broker.DeadLetters.Where(d => d.Queue == subscription.QueueName).Select(d => d.Message.Id).ToList());

    protected override IDeadLetterStore DeadLetterStore() => new InMemoryDeadLetterStore(_broker);

    protected override IBusWatch BusWatch() => new InMemoryBusWatch(_broker);

    [Fact]
    public async Task Dead_letters_kept_in_a_file_survive_a_restart_of_the_bus_and_are_replayed_from_there()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("orderx-bus-").FullName, "bus-dead-letters.jsonl");
        var before = new InMemoryBroker { Policy = _broker.Policy };
        before.KeepDeadLettersIn(file);
        await using (var failing = new InMemoryTransport(before))
        {
            await failing.SubscribeAsync(Queue, (_, _) => throw new InvalidOperationException("a bug"), default);
            await failing.PublishAsync(Message(), default).WaitAsync(TimeSpan.FromSeconds(15));
        }
        // A crash while the next one was being written leaves half a line.
        await File.AppendAllTextAsync(file, "{\"queue\":\"cut sh");

        var after = new InMemoryBroker { Policy = _broker.Policy };
        after.KeepDeadLettersIn(file);
        var handled = new TaskCompletionSource<Guid>();
        await using var fixedUp = new InMemoryTransport(after);
        await fixedUp.SubscribeAsync(Queue, (m, _) => { handled.TrySetResult(m.Id); return Task.CompletedTask; }, default);
        var store = new InMemoryDeadLetterStore(after);
        var kept = Assert.Single(await store.PeekAsync(Queue.QueueName, 10, default));
        Assert.Equal("a bug", kept.Reason);

        Assert.Equal(1, await store.ReplayAsync(Queue.QueueName, default));

        Assert.Equal(kept.MessageId, (await handled.Task.WaitAsync(TimeSpan.FromSeconds(15))).ToString());
        var restarted = new InMemoryBroker();
        restarted.KeepDeadLettersIn(file);
        Assert.Empty(restarted.DeadLetters);
    }

    [Fact]
    public async Task A_publish_is_confirmed_only_after_the_subscriber_has_handled_the_message()
    {
        var transport = NewTransport();
        var release = new TaskCompletionSource();
        await transport.SubscribeAsync(Queue, (_, _) => release.Task, default);

        var publish = transport.PublishAsync(Message(), default);
        await Task.Delay(200);
        Assert.False(publish.IsCompleted, "confirmed before the handler committed: a crash now would lose the message");

        release.SetResult();
        await publish.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
