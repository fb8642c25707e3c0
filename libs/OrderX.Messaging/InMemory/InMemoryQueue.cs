using System.Threading.Channels;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.InMemory;

public sealed class InMemoryQueue(string name, InMemoryBroker broker)
{
    private readonly Channel<Delivery> _channel = Channel.CreateUnbounded<Delivery>();

    private int _consumers;
    private int _unacknowledged;

    public string Name { get; } = name;

    /// <summary>Deliveries queued and not yet taken by a reader (those waiting out a retry's back-off are not counted).</summary>
    public int Waiting => _channel.Reader.Count;

    /// <summary>
    /// Deliveries a consumer has been handed and not yet settled, as a broker counts unacknowledged messages. A
    /// delivery counts once the consumer's handler has taken it (its synchronous part has run), not when a reader
    /// merely took it off the queue: that reader's continuation may run much later on a busy thread pool.
    /// </summary>
    public int Unacknowledged => Volatile.Read(ref _unacknowledged);

    /// <summary>False while the queue is only declared: its subscriber has not started (or is not in this process).</summary>
    public bool HasConsumers => Volatile.Read(ref _consumers) > 0;

    internal Task EnqueueAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        var delivery = new Delivery(message, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _channel.Writer.TryWrite(delivery);
        return delivery.Settled.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Puts a message back on this queue alone (an operator's replay), as a fresh delivery nobody waits for.</summary>
    public void Requeue(TransportMessage message) =>
        _channel.Writer.TryWrite(new Delivery(message, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));

    /// <summary>Starts one competing reader, running until cancelled; it counts as a consumer from the moment this returns.</summary>
    public Task ConsumeAsync(MessageHandler handler, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _consumers);
        return Task.Run(() => ReadAsync(handler, cancellationToken), CancellationToken.None);
    }

    private async Task ReadAsync(MessageHandler handler, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var delivery in _channel.Reader.ReadAllAsync(cancellationToken))
                await DeliverAsync(delivery, handler, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _consumers);
        }
    }

    private async Task DeliverAsync(Delivery delivery, MessageHandler handler, CancellationToken cancellationToken)
    {
        delivery.Attempt++;
        var message = delivery.Message;
        try
        {
            var handled = handler(new IncomingMessage(message.Id, message.Type, message.Body, delivery.Attempt), cancellationToken);
            Interlocked.Increment(ref _unacknowledged);
            try
            {
                await handled;
            }
            finally
            {
                Interlocked.Decrement(ref _unacknowledged);
            }
            delivery.Settled.TrySetResult();
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            if (broker.Policy.ShouldDeadLetter(delivery.Attempt))
            {
                broker.DeadLetter(Name, message, error);
                MessagingMetrics.MovedToDeadLetters(Name);
                delivery.Settled.TrySetResult();
                return;
            }
            MessagingMetrics.GivenBack(Name);
            // Requeue after the back-off without holding this reader, as a broker's delayed redelivery would.
            _ = Task.Delay(broker.Policy.RetryDelay(delivery.Attempt), CancellationToken.None)
                .ContinueWith(_ => _channel.Writer.TryWrite(delivery), TaskScheduler.Default);
        }
    }

    private sealed class Delivery(TransportMessage message, TaskCompletionSource settled)
    {
        public TransportMessage Message { get; } = message;
        public TaskCompletionSource Settled { get; } = settled;
        public int Attempt { get; set; }
    }
}
