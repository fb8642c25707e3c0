using System.Collections.Concurrent;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Tests;

/// <summary>A broker stand-in for relay tests: records what was published and can refuse chosen messages.</summary>
public sealed class RecordingTransport : IMessageTransport
{
    public ConcurrentQueue<TransportMessage> Published { get; } = new();
    public Func<TransportMessage, bool> Refuse { get; set; } = _ => false;
    public TimeSpan ConfirmDelay { get; set; }

    public string Name => "recording";
    public bool IsConnected => true;

    public async Task PublishAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        if (ConfirmDelay > TimeSpan.Zero)
            await Task.Delay(ConfirmDelay, cancellationToken);
        if (Refuse(message))
            throw new InvalidOperationException("broker nacked");
        Published.Enqueue(message);
    }

    public Task SubscribeAsync(Subscription subscription, MessageHandler handler, CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
