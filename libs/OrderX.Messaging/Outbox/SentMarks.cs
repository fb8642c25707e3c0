namespace OrderX.Messaging.Outbox;

/// <summary>
/// Rows the broker confirmed and the relay has not marked sent yet, each with the time of its confirmation, which is
/// what the row keeps (the outbox lag reads it), however much later the mark is written.
/// </summary>
internal sealed class SentMarks
{
    private readonly Lock _lock = new();
    private readonly List<(Guid Id, DateTime ConfirmedAt)> _pending = [];
    private DateTimeOffset? _oldest;

    public int Count
    {
        get { lock (_lock) return _pending.Count; }
    }

    public void Add(IEnumerable<Guid> ids, DateTime confirmedAt, DateTimeOffset now)
    {
        lock (_lock)
        {
            var before = _pending.Count;
            _pending.AddRange(ids.Select(id => (id, confirmedAt)));
            if (before == 0 && _pending.Count > 0)
                _oldest = now;
        }
    }

    /// <summary>Whether to write the marks now: this many are pending, or the oldest has waited out the delay.</summary>
    public bool IsDue(int maxPending, TimeSpan delay, DateTimeOffset now)
    {
        lock (_lock)
            return _pending.Count >= maxPending || _oldest + delay <= now;
    }

    /// <summary>When the oldest pending mark is due; null when none is pending.</summary>
    public DateTimeOffset? DueAt(TimeSpan delay)
    {
        lock (_lock)
            return _oldest + delay;
    }

    public List<(Guid Id, DateTime ConfirmedAt)> Peek()
    {
        lock (_lock)
            return [.. _pending];
    }

    /// <summary>Forgets the first <paramref name="count"/> marks, once written; later ones stay pending.</summary>
    public void Written(int count, DateTimeOffset now)
    {
        lock (_lock)
        {
            _pending.RemoveRange(0, count);
            _oldest = _pending.Count > 0 ? now : null;
        }
    }
}
