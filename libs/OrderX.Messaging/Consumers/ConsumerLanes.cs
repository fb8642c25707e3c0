using System.Threading.Channels;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Consumers;

/// <summary>
/// Group commit for one queue: deliveries that arrive while earlier ones are being handled are handled together,
/// in one transaction, instead of one transaction (and one relay round) each. Every delivery is still settled on
/// its own: the transport acknowledges it only once its batch committed. A batch that fails is handled again one
/// delivery at a time, so a bad message costs the others of its batch time, never their outcome.
/// </summary>
internal sealed class ConsumerBatcher
{
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>();
    private readonly Func<IReadOnlyList<IncomingMessage>, CancellationToken, Task> _handleBatch;
    private readonly Func<IncomingMessage, CancellationToken, Task> _handleOne;
    private readonly Action<Exception, int> _batchFailed;
    private readonly int _maxBatch;
    private readonly CancellationToken _stopping;

    public ConsumerBatcher(
        Func<IReadOnlyList<IncomingMessage>, CancellationToken, Task> handleBatch,
        Func<IncomingMessage, CancellationToken, Task> handleOne,
        Action<Exception, int> batchFailed,
        int maxBatch,
        int parallelBatches,
        CancellationToken stopping)
    {
        _handleBatch = handleBatch;
        _handleOne = handleOne;
        _batchFailed = batchFailed;
        _maxBatch = maxBatch;
        _stopping = stopping;
        for (var i = 0; i < parallelBatches; i++)
            _ = Task.Run(RunAsync, CancellationToken.None);
    }

    public Task HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        var pending = new Pending(message);
        _pending.Writer.TryWrite(pending);
        return pending.Settled.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        try
        {
            while (await _pending.Reader.WaitToReadAsync(_stopping))
            {
                batch.Clear();
                while (batch.Count < _maxBatch && _pending.Reader.TryRead(out var next))
                    batch.Add(next);
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
        while (_pending.Reader.TryRead(out var left))
            left.Settled.TrySetCanceled(_stopping);
    }

    private async Task SettleAsync(List<Pending> batch)
    {
        if (batch.Count > 1)
        {
            try
            {
                await _handleBatch(batch.ConvertAll(p => p.Message), _stopping);
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
                await _handleOne(pending.Message, _stopping);
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

    private sealed class Pending(IncomingMessage message)
    {
        public IncomingMessage Message { get; } = message;
        public TaskCompletionSource Settled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
