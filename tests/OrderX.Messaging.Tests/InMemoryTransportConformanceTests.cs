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
