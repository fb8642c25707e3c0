namespace OrderX.Orders.Tracking;

/// <summary>
/// Wakes the requests watching an order (the status long poll, the event stream) when a step is added to it: at once
/// when this instance commits it (<see cref="OrderChangeInterceptor"/>), and on PostgreSQL when any instance does
/// (<see cref="OrderHistoryListener"/>). Watchers still read again every <see cref="Recheck"/>: rarely while every
/// instance's changes arrive, often while they cannot (the listener lost its connection).
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

    /// <summary>Starts watching an order until the watcher is disposed.</summary>
    public OrderWatcher Watch(Guid orderId)
    {
        var watcher = new OrderWatcher(this, orderId);
        lock (_gate)
        {
            if (!_watchers.TryGetValue(orderId, out var list))
                _watchers[orderId] = list = [];
            list.Add(watcher);
        }
        return watcher;
    }

    public void Notify(Guid orderId)
    {
        OrderWatcher[] woken;
        lock (_gate)
        {
            if (!_watchers.TryGetValue(orderId, out var list))
                return;
            woken = [.. list];
        }
        foreach (var watcher in woken)
            watcher.Signal();
    }

    /// <summary>Wakes every watcher, to read again: changes may have been missed (the listener reconnected).</summary>
    public void NotifyAll()
    {
        OrderWatcher[] woken;
        lock (_gate)
            woken = [.. _watchers.Values.SelectMany(list => list)];
        foreach (var watcher in woken)
            watcher.Signal();
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
