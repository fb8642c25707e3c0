namespace OrderX.Orders.Tracking;

/// <summary>
/// Wakes the requests watching an order (the status long poll, the event stream) when a step is added to it: at once
/// when this instance commits it (<see cref="OrderChangeInterceptor"/>), and on PostgreSQL when any instance does
/// (<see cref="OrderHistoryListener"/>). Watchers still read again every <see cref="Recheck"/>: rarely while every
/// instance's changes arrive, often while they cannot (the listener lost its connection). A change carries the status
/// the order has after it, where known, so a watcher waiting for the order to settle is not woken by a step that
/// leaves it pending: with both wakes of a step (this instance's commit and the notification), that was two reads of
/// the order per step for nothing.
/// </summary>
public sealed class OrderChangeWatch(bool seesOtherInstances = true)
{
    public static readonly TimeSpan SafetyRecheck = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan BlindRecheck = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<Guid, List<OrderWatcher>> _watchers = [];
    private readonly Lock _gate = new();
    private volatile bool _seesOtherInstances = seesOtherInstances;

    /// <summary>
    /// Whether a change committed by another instance reaches this one: true where no other instance can write
    /// (SQLite, one process per file), and on PostgreSQL while the listener is connected.
    /// </summary>
    public bool SeesOtherInstances
    {
        get => _seesOtherInstances;
        set => _seesOtherInstances = value;
    }

    public TimeSpan Recheck => _seesOtherInstances ? SafetyRecheck : BlindRecheck;

    /// <summary>
    /// Starts watching an order until the watcher is disposed: every change of it, or with
    /// <paramref name="untilSettled"/> only the changes after which it is no longer pending (and those of unknown outcome).
    /// </summary>
    public OrderWatcher Watch(Guid orderId, bool untilSettled = false)
    {
        var watcher = new OrderWatcher(this, orderId, untilSettled);
        lock (_gate)
        {
            if (!_watchers.TryGetValue(orderId, out var list))
                _watchers[orderId] = list = [];
            list.Add(watcher);
        }
        return watcher;
    }

    /// <summary>
    /// Wakes the watchers of an order that changed; <paramref name="status"/> is its status after the change and
    /// <paramref name="statusMessage"/> the customer's sentence for it, where known.
    /// </summary>
    public void Notify(Guid orderId, string? status = null, string? statusMessage = null)
    {
        OrderWatcher[] woken;
        lock (_gate)
        {
            if (!_watchers.TryGetValue(orderId, out var list))
                return;
            woken = [.. list];
        }
        foreach (var watcher in woken)
            watcher.Signal(status, statusMessage);
    }

    /// <summary>Wakes every watcher, to read again: changes may have been missed (the listener reconnected).</summary>
    public void NotifyAll()
    {
        OrderWatcher[] woken;
        lock (_gate)
            woken = [.. _watchers.Values.SelectMany(list => list)];
        foreach (var watcher in woken)
            watcher.Signal(status: null, message: null);
    }

    /// <summary>How many orders are watched in this instance.</summary>
    public int WatchedOrders
    {
        get
        {
            lock (_gate)
                return _watchers.Count;
        }
    }

    internal void Remove(OrderWatcher watcher)
    {
        lock (_gate)
        {
            if (_watchers.TryGetValue(watcher.OrderId, out var list) && list.Remove(watcher) && list.Count == 0)
                _watchers.Remove(watcher.OrderId);
        }
    }
}
