using System.Collections.Concurrent;

namespace OrderX.Messaging.Outbox;

/// <summary>
/// Hands the relay the outbox rows this process has just committed and wakes it, so it publishes them without
/// polling for them or reading them back (<see cref="OutboxRelay{TContext}"/>).
/// </summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _pending = new(0, 1);
    private readonly ConcurrentQueue<OutboxMessage> _committed = new();

    public bool HasCommitted => !_committed.IsEmpty;

    /// <summary>Rows of a committed unit of work, in the order they were written.</summary>
    public void Committed(IEnumerable<OutboxMessage> rows)
    {
        foreach (var row in rows)
            _committed.Enqueue(row);
        Notify();
    }

    // Already signalled: one wake-up covers every commit before it. Checked first, since under load the relay is
    // mostly signalled already and a throw per commit cost more than the release (0.1% of the order service).
    private void Notify()
    {
        if (_pending.CurrentCount > 0)
            return;
        try { _pending.Release(); }
        catch (SemaphoreFullException) { /* a concurrent commit signalled it in between */ }
    }

    /// <summary>Takes up to <paramref name="max"/> committed rows, oldest first.</summary>
    public List<OutboxMessage> Take(int max)
    {
        var rows = new List<OutboxMessage>();
        while (rows.Count < max && _committed.TryDequeue(out var row))
            rows.Add(row);
        return rows;
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _pending.WaitAsync(timeout, cancellationToken);
}
