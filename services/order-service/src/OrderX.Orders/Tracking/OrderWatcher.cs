using OrderX.Orders.Domain;

namespace OrderX.Orders.Tracking;

/// <summary>One request's watch on one order: <see cref="Arm"/> before each read, then await <see cref="Changed"/>.</summary>
public sealed class OrderWatcher : IDisposable
{
    private readonly OrderChangeWatch _owner;
    private TaskCompletionSource _signal = NewSignal();

    internal OrderWatcher(OrderChangeWatch owner, Guid orderId, bool untilSettled)
    {
        _owner = owner;
        OrderId = orderId;
        UntilSettled = untilSettled;
    }

    public Guid OrderId { get; }

    /// <summary>Whether a change that leaves the order pending goes unheard.</summary>
    public bool UntilSettled { get; }

    /// <summary>
    /// The status and message of the order once a change that settled it was notified with both (this instance's
    /// commits are); null until then. A status long poll answers from it instead of reading the order again.
    /// </summary>
    public SettledStatus? Settled => Volatile.Read(ref _settled);

    private SettledStatus? _settled;

    /// <summary>Completes on the first change notified after the last <see cref="Arm"/>.</summary>
    public Task Changed => Volatile.Read(ref _signal).Task;

    /// <summary>
    /// Call before reading the order: a change notified from now on completes <see cref="Changed"/>. One notified
    /// while this runs completes the previous signal instead, but was committed before the read that follows.
    /// </summary>
    public void Arm()
    {
        if (Volatile.Read(ref _signal).Task.IsCompleted)
            Volatile.Write(ref _signal, NewSignal());
    }

    internal void Signal(string? status, string? message)
    {
        if (UntilSettled && status == OrderStatus.Pending)
            return;
        if (status is not null && status != OrderStatus.Pending && message is not null)
            Volatile.Write(ref _settled, new SettledStatus(status, message));
        Volatile.Read(ref _signal).TrySetResult();
    }

    public void Dispose() => _owner.Remove(this);

    public sealed record SettledStatus(string Status, string Message);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
