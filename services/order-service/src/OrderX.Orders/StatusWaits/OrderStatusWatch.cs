using System.Collections.Concurrent;

namespace OrderX.Orders.StatusWaits;

/// <summary>
/// Wakes requests waiting for an order to leave <c>pending</c> the moment this instance commits the change.
/// Changes committed by another instance are caught by the waiters' periodic re-read.
/// </summary>
public sealed class OrderStatusWatch
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waiters = new();

    /// <summary>Call before reading the status, so a change committed in between is not missed.</summary>
    public Task Changed(Guid orderId) =>
        _waiters.GetOrAdd(orderId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Notify(Guid orderId)
    {
        if (_waiters.TryRemove(orderId, out var waiter))
            waiter.TrySetResult();
    }

    public void Forget(Guid orderId, Task changed)
    {
        // Only drop the entry if it is still the one this waiter saw, and nobody completed it.
        if (!changed.IsCompleted && _waiters.TryGetValue(orderId, out var current) && current.Task == changed)
            _waiters.TryRemove(KeyValuePair.Create(orderId, current));
    }
}
