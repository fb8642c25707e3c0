using System.Threading.Channels;

namespace OrderX.Messaging.Consumers;

/// <summary>
/// Group commit for all the queues of one service, in lanes chosen by the event's subject (the order id): every
/// event of one order goes through one lane, in the order it arrived, so the stock answer and the payment answer of
/// an order never race each other for its row (before the lanes, a quarter of the order service's consumer work was
/// redone after such a conflict). Deliveries that arrive while a lane is busy are handled together, in one
/// transaction, instead of one transaction (and one relay round) each; under load a lane waits a moment for more
/// (<see cref="MessagingOptions.ConsumerBatchLinger"/>) before it starts the next batch. Every delivery is still
/// settled on its own: the transport acknowledges it only once its batch committed. A batch that fails is handled
/// again one delivery at a time, so a bad message costs the others of its batch time, never their outcome.
/// </summary>
internal sealed class ConsumerLanes
{
    private readonly Channel<Pending>[] _lanes;
    private readonly Func<IReadOnlyList<Delivery>, CancellationToken, Task> _handleBatch;
    private readonly Func<Delivery, CancellationToken, Task> _handleOne;
    private readonly Action<Exception, int> _batchFailed;
    private readonly int _maxBatch;
    private readonly TimeSpan _linger;
    private readonly TimeProvider _clock;
    private readonly CancellationToken _stopping;

    public ConsumerLanes(
        Func<IReadOnlyList<Delivery>, CancellationToken, Task> handleBatch,
        Func<Delivery, CancellationToken, Task> handleOne,
        Action<Exception, int> batchFailed,
        int maxBatch,
        int lanes,
        TimeSpan linger,
        TimeProvider clock,
        CancellationToken stopping)
    {
        _handleBatch = handleBatch;
        _handleOne = handleOne;
        _batchFailed = batchFailed;
        _maxBatch = maxBatch;
        _linger = linger;
        _clock = clock;
        _stopping = stopping;
        _lanes = new Channel<Pending>[lanes];
        for (var i = 0; i < lanes; i++)
        {
            var lane = _lanes[i] = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
            _ = Task.Run(() => RunAsync(lane.Reader), CancellationToken.None);
        }
    }

    public Task HandleAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var pending = new Pending(delivery);
        var lane = (uint)StringComparer.Ordinal.GetHashCode(delivery.Envelope.Subject ?? "") % (uint)_lanes.Length;
        _lanes[lane].Writer.TryWrite(pending);
        return pending.Settled.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync(ChannelReader<Pending> lane)
    {
        var batch = new List<Pending>(_maxBatch);
        try
        {
            // Only a lane whose last batch held more than one delivery lingers: under a light load nothing more
            // would come, and the wait would only add to the delivery's latency.
            var busy = false;
            while (await lane.WaitToReadAsync(_stopping))
            {
                batch.Clear();
                Take(lane, batch);
                if (busy && _linger > TimeSpan.Zero && batch.Count < _maxBatch)
                {
                    await Task.Delay(_linger, _clock, _stopping);
                    Take(lane, batch);
                }
                busy = batch.Count > 1;
                if (batch.Count > 0)
                    await SettleAsync(batch);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        // Shutting down: what is left stays unacknowledged and goes to another consumer (or this one, restarted).
        foreach (var pending in batch)
            pending.Settled.TrySetCanceled(_stopping);
        while (lane.TryRead(out var left))
            left.Settled.TrySetCanceled(_stopping);
    }

    private void Take(ChannelReader<Pending> lane, List<Pending> batch)
    {
        while (batch.Count < _maxBatch && lane.TryRead(out var next))
            batch.Add(next);
    }

    private async Task SettleAsync(List<Pending> batch)
    {
        if (batch.Count > 1)
        {
            try
            {
                await _handleBatch(batch.ConvertAll(p => p.Delivery), _stopping);
                foreach (var pending in batch)
                    pending.Settled.TrySetResult();
                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception error)
            {
                _batchFailed(error, batch.Count);
            }
        }
        foreach (var pending in batch)
        {
            try
            {
                await _handleOne(pending.Delivery, _stopping);
                pending.Settled.TrySetResult();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception error)
            {
                pending.Settled.TrySetException(error);
            }
        }
    }

    private sealed class Pending(Delivery delivery)
    {
        public Delivery Delivery { get; } = delivery;
        public TaskCompletionSource Settled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
