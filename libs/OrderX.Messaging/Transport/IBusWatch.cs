using System.Threading.Channels;

namespace OrderX.Messaging.Transport;

/// <summary>
/// Watching the bus without taking part in it, for the operator's live feed: every message of the given types
/// published after the watch started, taken from no subscription and acknowledged to nobody. Nothing about it is
/// durable: what is published while nobody watches is not seen, and a watcher that falls behind loses the oldest it
/// had not read.
/// </summary>
public interface IBusWatch
{
    /// <summary>Returns once the watch sees what is published from now on; throws <see cref="TransportUnavailableException"/> when the broker cannot be reached.</summary>
    Task<BusWatcher> StartAsync(IReadOnlyCollection<string> eventTypes, CancellationToken cancellationToken);
}

/// <summary>
/// A running watch. <see cref="Messages"/> completes with <see cref="TransportUnavailableException"/> when the broker
/// goes away; disposing ends the watch.
/// </summary>
public sealed class BusWatcher(ChannelReader<TransportMessage> messages, Func<ValueTask> stop) : IAsyncDisposable
{
    /// <summary>What a watcher holds unread before it drops the oldest.</summary>
    public const int Buffer = 1000;

    public ChannelReader<TransportMessage> Messages => messages;

    public static Channel<TransportMessage> NewBuffer() =>
        Channel.CreateBounded<TransportMessage>(new BoundedChannelOptions(Buffer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private int _stopped;

    public ValueTask DisposeAsync() => Interlocked.Exchange(ref _stopped, 1) == 0 ? stop() : ValueTask.CompletedTask;
}
