using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Kafka;

/// <summary>
/// Kafka behind <see cref="IMessageTransport"/>: one topic per event type, keyed by the envelope's subject (the order
/// id) so one order's events stay on one partition; an idempotent producer with acks=all whose delivery reports
/// confirm publishes, many in flight at once. One consumer group per service (<c>orderx.&lt;service&gt;</c>, round-robin
/// assignment): each partition is handled in order, partitions side by side, and an offset is committed only once
/// every message below it is done, so a crash or a rebalance redelivers and the inbox absorbs the repeat. A failing
/// message is retried with back-off, then goes to the group's dead-letter topic and its partition moves on.
/// </summary>
public sealed partial class KafkaTransport : IMessageTransport
{
    private static readonly TimeSpan RevokeGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CommitInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LagInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan TopicCreationWait = TimeSpan.FromSeconds(30);

    private readonly KafkaOptions _options;
    private readonly KafkaNames _names;
    private readonly DeliveryPolicy _policy;
    private readonly ILogger<KafkaTransport> _logger;
    private readonly string _clientId;
    private readonly IProducer<string, byte[]> _producer;
    private readonly IAdminClient _admin;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Task> _topics = new();
    private readonly Dictionary<string, MessageHandler> _handlers = [];
    private readonly Dictionary<TopicPartition, PartitionWorker> _workers = [];
    private readonly ConcurrentDictionary<string, long> _lagByTopic = new();
    private readonly Task _probe;
    private Task? _consuming;
    private string? _group;
    private string? _replayTopic;
    private string? _deadLetterTopic;
    private string? _service;
    private volatile bool _resubscribe;
    private volatile bool _closing;
    private volatile bool _connected;
    private int _disposed;
    private int _assigned;

    public KafkaTransport(IOptions<KafkaOptions> options, ILogger<KafkaTransport> logger, string clientId)
    {
        _options = options.Value;
        _names = new KafkaNames(_options.Prefix);
        _policy = new DeliveryPolicy { MaxDeliveries = _options.MaxDeliveries };
        _logger = logger;
        _clientId = clientId;
        _producer = new ProducerBuilder<string, byte[]>(new ProducerConfig(ClientConfig())
            {
                EnableIdempotence = true,
                Acks = Acks.All,
                MessageTimeoutMs = (int)_options.DeliveryTimeout.TotalMilliseconds,
            })
            .SetLogHandler((_, message) => LogClient(message))
            .SetErrorHandler((_, error) => LogClientError(error))
            .Build();
        _admin = new DependentAdminClientBuilder(_producer.Handle).Build();
        _probe = Task.Run(() => ProbeAsync(_stopping.Token));
    }

    public string Name => "kafka";

    public bool IsConnected => _connected;

    /// <summary>Partitions this member of its consumer group holds now.</summary>
    public int AssignedPartitions => Volatile.Read(ref _assigned);

    public async Task PublishAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        var topic = _names.Topic(message.Type);
        EnsureTopic(topic);
        // Completes with the delivery report: the record is on every in-sync replica. Many publishes are in flight
        // at once (the relay starts a batch together), so reports arrive as a stream.
        await _producer.ProduceAsync(topic, new Message<string, byte[]>
        {
            Key = message.Key,
            Value = message.Body.ToArray(),
            Headers = new Headers { { KafkaHeaders.Id, Encoding.UTF8.GetBytes(message.Id.ToString()) }, { KafkaHeaders.Type, Encoding.UTF8.GetBytes(message.Type) } },
        }, cancellationToken);
    }

    /// <summary>
    /// The consumer lag over the partitions this member holds: each partition's end offset (as last fetched) minus the
    /// next offset to handle, measured every second on the consumer's thread.
    /// </summary>
    public ValueTask<SubscriptionBacklog?> BacklogAsync(Subscription subscription, CancellationToken cancellationToken) =>
        ValueTask.FromResult<SubscriptionBacklog?>(_lagByTopic.TryGetValue(_names.Topic(subscription.EventType), out var lag)
            ? new SubscriptionBacklog(lag, IsConsumerLag: true)
            : null);

    public Task SubscribeAsync(Subscription subscription, MessageHandler handler, CancellationToken cancellationToken)
    {
        var topic = _names.Topic(subscription.EventType);
        lock (_handlers)
        {
            var group = _names.Group(subscription.Service);
            if (_group is not null && _group != group)
                throw new InvalidOperationException($"A Kafka transport consumes for one service; it already consumes for {_group}.");
            _group = group;
            _replayTopic = _names.ReplayTopic(subscription.Service);
            _deadLetterTopic = _names.DeadLetterTopic(subscription.Service);
            _service = subscription.Service;
            _handlers[topic] = handler;
        }
        // Before the consumer looks, so that it waits for these topics too (WaitForTopicCreation).
        EnsureTopic(topic);
        EnsureTopic(_deadLetterTopic);
        EnsureTopic(_replayTopic);
        lock (_handlers)
        {
            _resubscribe = true;
            _consuming ??= Task.Factory.StartNew(Consume, TaskCreationOptions.LongRunning);
        }
        return Task.CompletedTask;
    }

    private ClientConfig ClientConfig() => _options.ClientConfig(_clientId);

    // The consumer's own thread: librdkafka's consumer is driven by one caller, and the rebalance callbacks run here too.
    // A consumer that fails outright is replaced by a new member of the same group: what it had not committed is
    // redelivered, and the service goes on consuming.
    private void Consume()
    {
        while (!_closing)
        {
            try
            {
                ConsumeUntilClosedOrFailed();
            }
            catch (Exception error)
            {
                LogConsumerFailed(error);
                _resubscribe = true;
                Thread.Sleep(TimeSpan.FromSeconds(1));
            }
        }
    }

    private void ConsumeUntilClosedOrFailed()
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig(ClientConfig())
            {
                GroupId = _group,
                EnableAutoCommit = false,
                EnableAutoOffsetStore = false,
                AutoOffsetReset = AutoOffsetReset.Earliest,
                // Eager round-robin, not cooperative-sticky: librdkafka's sticky assignor can abort the group leader's
                // process on an assertion when a member joins (rdkafka_sticky_assignor.c PartitionMovements_movePartition,
                // seen in CI). Eager rebalancing revokes every partition each time, which Revoked handles like any other.
                PartitionAssignmentStrategy = PartitionAssignmentStrategy.RoundRobin,
                AllowAutoCreateTopics = true,
                // A member that died without leaving (kill -9, a lost machine) holds its partitions until this runs out.
                SessionTimeoutMs = (int)_options.SessionTimeout.TotalMilliseconds,
                HeartbeatIntervalMs = (int)(_options.SessionTimeout.TotalMilliseconds / 3),
                // A subscribed topic that did not exist yet is seen once it does at the next metadata refresh
                // (librdkafka's default is five minutes).
                TopicMetadataRefreshIntervalMs = 10_000,
            })
            .SetPartitionsAssignedHandler((_, partitions) => Assigned(partitions))
            .SetPartitionsRevokedHandler((c, partitions) => Revoked(c, partitions.Select(p => p.TopicPartition)))
            .SetPartitionsLostHandler((_, partitions) => Lost(partitions.Select(p => p.TopicPartition)))
            .SetLogHandler((_, message) => LogClient(message))
            .SetErrorHandler((_, error) => LogClientError(error))
            .Build();
        var nextCommit = DateTime.UtcNow;
        var nextLag = DateTime.UtcNow;
        string[] subscribed = [];
        try
        {
            while (!_closing)
            {
                if (_resubscribe)
                {
                    _resubscribe = false;
                    string[] topics;
                    lock (_handlers) topics = [.. _handlers.Keys, _replayTopic!];
                    // A member that joins before its topics exist has none of their partitions until a later metadata
                    // refresh, and joining again for them rebalances the whole group: topics being created come first,
                    // and a subscription that did not change is not sent again.
                    WaitForTopicCreation(topics);
                    if (!topics.Order().SequenceEqual(subscribed.Order()))
                    {
                        consumer.Subscribe(topics);
                        subscribed = topics;
                    }
                }
                try
                {
                    if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } result && _workers.TryGetValue(result.TopicPartition, out var worker))
                    {
                        if (worker.Enqueue(result) >= _options.MaxPendingPerPartition)
                        {
                            consumer.Pause([result.TopicPartition]);
                            worker.Paused = true;
                        }
                    }
                }
                catch (ConsumeException error) when (error.Error.Code == ErrorCode.UnknownTopicOrPart)
                {
                    // A topic not created yet at first start: its partitions come with the next metadata refresh.
                    LogClientMessage(LogLevel.Debug, "consumer", error.Error.Reason);
                }
                catch (ConsumeException error)
                {
                    LogConsumeFailed(error.Error.Reason);
                }
                ResumeDrained(consumer);
                if (DateTime.UtcNow >= nextCommit)
                {
                    CommitDone(consumer);
                    nextCommit = DateTime.UtcNow + CommitInterval;
                }
                if (DateTime.UtcNow >= nextLag)
                {
                    MeasureLag(consumer);
                    nextLag = DateTime.UtcNow + LagInterval;
                }
            }
        }
        finally
        {
            Revoked(consumer, _workers.Keys.ToList());
            try { consumer.Close(); }
            catch (KafkaException error) { LogConsumeFailed(error.Error.Reason); }
        }
    }

    private void Assigned(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            MessageHandler handler;
            lock (_handlers)
                if (!_handlers.TryGetValue(partition.Topic, out handler!) && partition.Topic != _replayTopic)
                    continue;
            // Replayed dead letters of every event type share one topic; each goes to its own type's handler.
            if (partition.Topic == _replayTopic)
                handler = HandleReplayedAsync;
            _workers[partition] = new PartitionWorker(this, partition, handler, _stopping.Token);
        }
        Volatile.Write(ref _assigned, _workers.Count);
        LogAssigned(_group!, string.Join(", ", partitions));
    }

    // Finish or abandon the work in flight, then commit what is done, before another member takes the partitions over.
    private void Revoked(IConsumer<string, byte[]> consumer, IEnumerable<TopicPartition> partitions)
    {
        var leaving = partitions.Where(_workers.ContainsKey).Select(p => _workers[p]).ToList();
        foreach (var worker in leaving)
            worker.Stop();
        foreach (var worker in leaving)
            if (!worker.Completion.Wait(RevokeGrace))
                worker.Abandon();
        CommitDone(consumer, leaving);
        foreach (var worker in leaving)
            _workers.Remove(worker.Partition);
        Volatile.Write(ref _assigned, _workers.Count);
    }

    // Another member owns them already: nothing may be committed for them any more.
    private void Lost(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
            if (_workers.Remove(partition, out var worker))
                worker.Abandon();
        Volatile.Write(ref _assigned, _workers.Count);
    }

    private void ResumeDrained(IConsumer<string, byte[]> consumer)
    {
        foreach (var worker in _workers.Values)
        {
            if (worker.Paused && worker.Pending < _options.MaxPendingPerPartition / 2)
            {
                consumer.Resume([worker.Partition]);
                worker.Paused = false;
            }
        }
    }

    private void MeasureLag(IConsumer<string, byte[]> consumer)
    {
        var lag = new Dictionary<string, long>();
        foreach (var worker in _workers.Values)
        {
            var high = consumer.GetWatermarkOffsets(worker.Partition).High;
            var next = worker.NextToHandle;
            var behind = high == Offset.Unset || next < 0 ? 0 : Math.Max(0, high.Value - next);
            lag[worker.Partition.Topic] = lag.GetValueOrDefault(worker.Partition.Topic) + behind;
        }
        lock (_handlers)
            foreach (var topic in _handlers.Keys)
                _lagByTopic[topic] = lag.GetValueOrDefault(topic);
    }

    private void CommitDone(IConsumer<string, byte[]> consumer, IReadOnlyCollection<PartitionWorker>? only = null)
    {
        var ready = (only ?? _workers.Values).Where(w => w.Done > w.Committed).Select(w => (Worker: w, Offset: w.Done)).ToList();
        if (ready.Count == 0)
            return;
        try
        {
            consumer.Commit(ready.Select(r => new TopicPartitionOffset(r.Worker.Partition, r.Offset)));
            foreach (var (worker, offset) in ready)
                worker.Committed = offset;
        }
        catch (KafkaException error)
        {
            // A rebalance in progress, or the coordinator away: what is done is committed on the next try, or
            // redelivered to the partition's next owner (the inbox absorbs it).
            LogCommitFailed(error.Error.Reason);
        }
    }

    private Task HandleReplayedAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        MessageHandler? handler;
        lock (_handlers)
            _handlers.TryGetValue(_names.Topic(message.Type), out handler);
        return handler is not null
            ? handler(message, cancellationToken)
            : throw new InvalidOperationException($"A replayed {message.Type} message reached {_group}, which does not consume {message.Type}.");
    }

    private async Task HandleAsync(MessageHandler handler, ConsumeResult<string, byte[]> record, CancellationToken cancellationToken)
    {
        var id = Guid.TryParse(HeaderText(record.Message.Headers, KafkaHeaders.Id), out var parsed) ? parsed : Guid.Empty;
        var type = HeaderText(record.Message.Headers, KafkaHeaders.Type) ?? record.Topic[_options.Prefix.Length..];
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await handler(new IncomingMessage(id, type, record.Message.Value, attempt), cancellationToken);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception error) when (_policy.ShouldDeadLetter(attempt))
            {
                await DeadLetterAsync(record, error, attempt, cancellationToken);
                LogDeadLettered(error, record.TopicPartitionOffset.ToString(), id, attempt);
                MessagingMetrics.MovedToDeadLetters(new Subscription(_service ?? "", type).QueueName);
                return;
            }
            catch (Exception error)
            {
                var delay = _policy.RetryDelay(attempt);
                LogRetrying(error, record.TopicPartitionOffset.ToString(), id, attempt, delay.TotalMilliseconds);
                MessagingMetrics.GivenBack(new Subscription(_service ?? "", type).QueueName);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    // The partition moves on only once the dead letter is safely written: until then the message is retried.
    private async Task DeadLetterAsync(ConsumeResult<string, byte[]> record, Exception error, int deliveries, CancellationToken cancellationToken)
    {
        var headers = new Headers();
        foreach (var header in record.Message.Headers ?? [])
            headers.Add(header.Key, header.GetValueBytes());
        headers.Add(KafkaHeaders.Error, Encoding.UTF8.GetBytes(Truncate($"{error.GetType().Name}: {error.Message}", 2000)));
        headers.Add(KafkaHeaders.OriginalTopic, Encoding.UTF8.GetBytes(record.Topic));
        headers.Add(KafkaHeaders.OriginalPartition, Encoding.UTF8.GetBytes(record.Partition.Value.ToString()));
        headers.Add(KafkaHeaders.OriginalOffset, Encoding.UTF8.GetBytes(record.Offset.Value.ToString()));
        headers.Add(KafkaHeaders.Deliveries, Encoding.UTF8.GetBytes(deliveries.ToString()));
        var topic = _deadLetterTopic!;
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await _producer.ProduceAsync(topic, new Message<string, byte[]> { Key = record.Message.Key, Value = record.Message.Value, Headers = headers }, cancellationToken);
                return;
            }
            catch (ProduceException<string, byte[]> failed) when (!cancellationToken.IsCancellationRequested)
            {
                LogDeadLetterFailed(topic, failed.Error.Reason);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    public static string? HeaderText(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    // Creates the topic once per process where the cluster lets OrderX; a refusal (managed Kafka, or a cluster that
    // creates topics on first use) is logged and publishing goes on: a missing topic fails a delivery, which is retried.
    private void EnsureTopic(string topic)
    {
        if (_options.CreateTopics)
            _topics.GetOrAdd(topic, name => Task.Run(() => CreateTopicAsync(name)));
    }

    // Bounded: a creation takes at most its three calls' timeouts (10 + 5 + 10 s), and a topic that appears later is
    // found at the consumer's next metadata refresh. A closing transport stops waiting.
    private void WaitForTopicCreation(IEnumerable<string> topics)
    {
        var created = Task.WhenAll(topics.Select(t => _topics.GetValueOrDefault(t)).OfType<Task>())
            .ContinueWith(static _ => { }, TaskScheduler.Default); // a failed creation was logged; it ends the wait all the same
        var deadline = DateTime.UtcNow + TopicCreationWait;
        while (!created.Wait(TimeSpan.FromMilliseconds(100)) && !_closing && DateTime.UtcNow < deadline)
        {
        }
    }

    private async Task CreateTopicAsync(string topic)
    {
        try
        {
            var replication = _options.ReplicationFactor > 0
                ? _options.ReplicationFactor
                : (short)Math.Clamp(_admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Count, 1, 3);
            await _admin.CreateTopicsAsync(
                [new TopicSpecification { Name = topic, NumPartitions = _options.Partitions, ReplicationFactor = replication }],
                new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(5), OperationTimeout = TimeSpan.FromSeconds(5) });
            LogTopicCreated(topic, _options.Partitions, replication);
        }
        catch (CreateTopicsException error) when (error.Results.All(r => r.Error.Code is ErrorCode.TopicAlreadyExists or ErrorCode.NoError))
        {
        }
        catch (Exception error)
        {
            LogTopicNotCreated(topic, error is CreateTopicsException created ? created.Results[0].Error.Reason : error.Message);
            // Where the cluster creates topics on first use, asking the producer's connection for the topic creates it
            // now, so that members subscribed to it get partitions before its first event.
            try { _admin.GetMetadata(topic, TimeSpan.FromSeconds(10)); }
            catch (KafkaException) { }
        }
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var connected = false;
            var reason = "";
            try
            {
                connected = await Task.Run(() => _admin.GetMetadata(TimeSpan.FromSeconds(3)).Brokers.Count > 0, cancellationToken);
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested)
            {
                reason = error.Message;
            }
            if (connected != _connected)
            {
                _connected = connected;
                if (connected)
                    LogConnected(_options.BootstrapServers);
                else
                    LogDisconnected(_options.BootstrapServers, reason);
            }
            else if (!connected)
            {
                LogWaiting(_options.BootstrapServers, reason);
            }
            await Task.Delay(connected ? TimeSpan.FromSeconds(5) : TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void LogClient(LogMessage message)
    {
        if (message.Level <= SyslogLevel.Error)
            LogClientMessage(LogLevel.Warning, message.Facility, message.Message);
        else
            LogClientMessage(LogLevel.Debug, message.Facility, message.Message);
    }

    private void LogClientError(Error error)
    {
        if (error.IsFatal)
            LogFatal(error.Reason);
        else if (error.Code is ErrorCode.Local_Authentication or ErrorCode.SaslAuthenticationFailed or ErrorCode.TopicAuthorizationFailed
                 or ErrorCode.GroupAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed)
            LogRefused(_options.BootstrapServers, error.Reason);
        else
            LogClientMessage(LogLevel.Debug, error.Code.ToString(), error.Reason);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        _closing = true;
        // librdkafka's close can hang for good in its rebalance callback (seen once in CI, against the mock cluster).
        // What the workers finished is committed before the close (Revoked), so after the grace the stop goes on and
        // the rest is redelivered once the group drops this member, as after a kill.
        if (_consuming is not null)
        {
            await _consuming.WaitAsync(CloseGrace).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!_consuming.IsCompleted)
                LogCloseHung(CloseGrace.TotalSeconds);
        }
        await _stopping.CancelAsync();
        await _probe.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _producer.Flush(TimeSpan.FromSeconds(5));
        _admin.Dispose();
        _producer.Dispose();
        _stopping.Dispose();
    }

    [LoggerMessage(LogLevel.Information, "Connected to Kafka at {Servers}")]
    private partial void LogConnected(string servers);

    [LoggerMessage(LogLevel.Warning, "Lost Kafka at {Servers} ({Reason}); the outbox keeps new events until it is back")]
    private partial void LogDisconnected(string servers, string reason);

    [LoggerMessage(LogLevel.Debug, "Waiting for Kafka at {Servers} ({Reason})")]
    private partial void LogWaiting(string servers, string reason);

    [LoggerMessage(LogLevel.Information, "{Group}: assigned {Partitions}")]
    private partial void LogAssigned(string group, string partitions);

    [LoggerMessage(LogLevel.Information, "Created topic {Topic} ({Partitions} partitions, replication {Replication})")]
    private partial void LogTopicCreated(string topic, int partitions, short replication);

    [LoggerMessage(LogLevel.Information, "Did not create topic {Topic} ({Reason}); it must exist or be created on first use")]
    private partial void LogTopicNotCreated(string topic, string reason);

    [LoggerMessage(LogLevel.Warning, "{Record}: message {MessageId} failed on attempt {Attempt}; retrying in {DelayMs} ms")]
    private partial void LogRetrying(Exception error, string record, Guid messageId, int attempt, double delayMs);

    [LoggerMessage(LogLevel.Error, "{Record}: message {MessageId} failed {Attempt} times; moved to the dead-letter topic")]
    private partial void LogDeadLettered(Exception error, string record, Guid messageId, int attempt);

    [LoggerMessage(LogLevel.Warning, "Could not write to the dead-letter topic {Topic} ({Reason}); retrying")]
    private partial void LogDeadLetterFailed(string topic, string reason);

    [LoggerMessage(LogLevel.Debug, "Offsets not committed yet ({Reason}); retrying")]
    private partial void LogCommitFailed(string reason);

    [LoggerMessage(LogLevel.Warning, "Kafka consumer: {Reason}")]
    private partial void LogConsumeFailed(string reason);

    [LoggerMessage(LogLevel.Warning, "The Kafka consumer did not close within {Seconds} s; stopping without it (its group drops it after the session timeout)")]
    private partial void LogCloseHung(double seconds);

    [LoggerMessage(LogLevel.Error, "The Kafka consumer failed; a new one takes over in 1 s")]
    private partial void LogConsumerFailed(Exception error);

    [LoggerMessage(LogLevel.Error, "Kafka at {Servers} refused OrderX's credentials or rights (check Kafka__Client__sasl.*): {Reason}")]
    private partial void LogRefused(string servers, string reason);

    [LoggerMessage(LogLevel.Critical, "Kafka client: fatal error {Reason}")]
    private partial void LogFatal(string reason);

    [LoggerMessage("librdkafka {Facility}: {Message}")]
    private partial void LogClientMessage(LogLevel level, string facility, string message);

    /// <summary>One assigned partition's messages, handled one after another; <see cref="Done"/> is the offset to commit.</summary>
    private sealed class PartitionWorker
    {
        private readonly System.Threading.Channels.Channel<ConsumeResult<string, byte[]>> _queue =
            System.Threading.Channels.Channel.CreateUnbounded<ConsumeResult<string, byte[]>>(new() { SingleReader = true, SingleWriter = true });
        private readonly CancellationTokenSource _abandon;
        private int _pending;
        private volatile bool _stopped;
        private long _done = -1;
        private long _firstReceived = -1;

        public PartitionWorker(KafkaTransport transport, TopicPartition partition, MessageHandler handler, CancellationToken stopping)
        {
            Partition = partition;
            _abandon = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            Completion = Task.Run(() => RunAsync(transport, handler));
        }

        public TopicPartition Partition { get; }

        public Task Completion { get; }

        public long Done => Interlocked.Read(ref _done);

        public long Committed { get; set; } = -1;

        /// <summary>The offset of the next message to handle, or -1 before the first one arrived.</summary>
        public long NextToHandle => Done >= 0 ? Done : Interlocked.Read(ref _firstReceived);

        public bool Paused { get; set; }

        public int Pending => Volatile.Read(ref _pending);

        public int Enqueue(ConsumeResult<string, byte[]> record)
        {
            Interlocked.CompareExchange(ref _firstReceived, record.Offset.Value, -1);
            _queue.Writer.TryWrite(record);
            return Interlocked.Increment(ref _pending);
        }

        /// <summary>Takes no further message; the one in hand is finished.</summary>
        public void Stop()
        {
            _stopped = true;
            _queue.Writer.TryComplete();
        }

        /// <summary>Drops the message in hand too: it was not committed, so the partition's next owner gets it again.</summary>
        public void Abandon()
        {
            Stop();
            _abandon.Cancel();
        }

        private async Task RunAsync(KafkaTransport transport, MessageHandler handler)
        {
            try
            {
                await foreach (var record in _queue.Reader.ReadAllAsync(_abandon.Token))
                {
                    if (_stopped)
                        break;
                    await transport.HandleAsync(handler, record, _abandon.Token);
                    Interlocked.Exchange(ref _done, record.Offset.Value + 1);
                    Interlocked.Decrement(ref _pending);
                }
            }
            catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
            {
            }
        }
    }
}
