using System.Text;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderX.Messaging.Transport;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace OrderX.Messaging.RabbitMQ;

/// <summary>
/// RabbitMQ behind <see cref="IMessageTransport"/>: one durable topic exchange, one durable queue per
/// (service, event) subscription, persistent messages published with confirms, manual acks after the handler
/// committed, redelivery with back-off and then a dead-letter queue per subscription (<c>&lt;queue&gt;.dlq</c>).
/// It connects in the background and keeps trying, so a service may start before its broker.
/// </summary>
public sealed partial class RabbitMqTransport : IMessageTransport
{
    private readonly RabbitMqOptions _options;
    private readonly DeliveryPolicy _policy;
    private readonly ILogger<RabbitMqTransport> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource<IConnection> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _publishChannelLock = new(1, 1);
    private readonly List<IChannel> _consumerChannels = [];
    private IChannel? _publishChannel;
    private readonly SemaphoreSlim _inspectChannelLock = new(1, 1);
    private IChannel? _inspectChannel;
    private int _disposed;

    public RabbitMqTransport(IOptions<RabbitMqOptions> options, ILogger<RabbitMqTransport> logger, string clientName)
    {
        _options = options.Value;
        _policy = new DeliveryPolicy { MaxDeliveries = _options.MaxDeliveries };
        _logger = logger;
        _ = Task.Run(() => ConnectAsync(clientName, _stopping.Token));
    }

    public string Name => "rabbitmq";

    public string DeadLetterExchange => $"{_options.Exchange}.dlx";

    /// <summary>Queues carry the exchange's name, so several OrderX installations (or test runs) can share one broker.</summary>
    public string QueueName(Subscription subscription) => $"{_options.Exchange}.{subscription.QueueName}";

    public bool IsConnected => _connected.Task.IsCompletedSuccessfully && _connected.Task.Result.IsOpen;

    public async Task PublishAsync(TransportMessage message, CancellationToken cancellationToken)
    {
        var channel = await PublishChannelAsync(cancellationToken);
        var properties = new BasicProperties
        {
            Persistent = true,
            MessageId = message.Id.ToString(),
            Type = message.Type,
            ContentType = "application/cloudevents+json",
            Headers = new Dictionary<string, object?> { ["subject"] = message.Key },
        };
        try
        {
            // With confirmation tracking on, this completes when the broker confirms and throws on a nack or a return.
            await channel.BasicPublishAsync(_options.Exchange, message.Type, mandatory: true, properties, message.Body, cancellationToken);
        }
        catch (PublishException returned) when (returned.IsReturn)
        {
            throw new UnroutableMessageException(message.Type);
        }
    }

    public async Task SubscribeAsync(Subscription subscription, MessageHandler handler, CancellationToken cancellationToken)
    {
        var connection = await _connected.Task.WaitAsync(cancellationToken);
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(false, false, consumerDispatchConcurrency: _options.ConsumerConcurrency),
            cancellationToken);
        lock (_consumerChannels) _consumerChannels.Add(channel);
        await DeclareQueueAsync(channel, subscription, cancellationToken);
        await channel.BasicQosAsync(0, _options.Prefetch, false, cancellationToken);

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => HandleDeliveryAsync(channel, subscription, delivery, handler);
        await channel.BasicConsumeAsync(QueueName(subscription), autoAck: false, consumer, cancellationToken);
    }

    /// <summary>
    /// The queue's ready messages (a passive declare on a channel of its own, which a missing queue closes); the
    /// deliveries consumers hold unacknowledged are not counted, at most <see cref="RabbitMqOptions.Prefetch"/> per consumer.
    /// </summary>
    public async ValueTask<SubscriptionBacklog?> BacklogAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        if (!IsConnected)
            return null;
        await _inspectChannelLock.WaitAsync(cancellationToken);
        try
        {
            if (_inspectChannel is not { IsOpen: true })
            {
                if (_inspectChannel is not null)
                    await _inspectChannel.DisposeAsync();
                _inspectChannel = await _connected.Task.Result.CreateChannelAsync(cancellationToken: cancellationToken);
            }
            return new SubscriptionBacklog(await _inspectChannel.MessageCountAsync(QueueName(subscription), cancellationToken), IsConsumerLag: false);
        }
        catch (Exception error) when (error is OperationInterruptedException or AlreadyClosedException or IOException)
        {
            return null;
        }
        finally
        {
            _inspectChannelLock.Release();
        }
    }

    /// <summary>Declares the subscription's queue, its binding and its dead-letter queue; idempotent.</summary>
    public async Task DeclareQueueAsync(IChannel channel, Subscription subscription, CancellationToken cancellationToken)
    {
        var queue = QueueName(subscription);
        var deadLetterQueue = $"{queue}.dlq";
        var arguments = new Dictionary<string, object?>
        {
            ["x-queue-type"] = _options.QueueType,
            // RabbitMQ 3.10 has neither a default dead-letter target nor a default delivery limit: both are set here.
            ["x-dead-letter-exchange"] = DeadLetterExchange,
            ["x-dead-letter-routing-key"] = queue,
        };
        if (_options.QueueType == "quorum")
            arguments["x-delivery-limit"] = _options.MaxDeliveries;
        await channel.QueueDeclareAsync(deadLetterQueue, durable: true, exclusive: false, autoDelete: false,
            new Dictionary<string, object?> { ["x-queue-type"] = _options.QueueType }, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(deadLetterQueue, DeadLetterExchange, queue, cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(queue, _options.Exchange, subscription.EventType, cancellationToken: cancellationToken);
    }

    private async Task HandleDeliveryAsync(IChannel channel, Subscription subscription, BasicDeliverEventArgs delivery, MessageHandler handler)
    {
        var attempt = DeliveryAttempt(delivery);
        var id = Guid.TryParse(delivery.BasicProperties.MessageId, out var parsed) ? parsed : Guid.Empty;
        Exception? failure = null;
        try
        {
            await handler(new IncomingMessage(id, delivery.RoutingKey, delivery.Body, attempt), _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return; // shutting down: left unacknowledged, the broker hands it to another consumer
        }
        catch (Exception error)
        {
            failure = error;
        }

        try
        {
            if (failure is null)
            {
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            }
            else if (_policy.ShouldDeadLetter(attempt))
            {
                LogDeadLettered(failure, QueueName(subscription), id, attempt);
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: false);
                MessagingMetrics.MovedToDeadLetters(subscription.QueueName);
            }
            else
            {
                var delay = _policy.RetryDelay(attempt);
                LogRetrying(failure, QueueName(subscription), id, attempt, delay.TotalMilliseconds);
                await Task.Delay(delay, _stopping.Token);
                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true);
                MessagingMetrics.GivenBack(subscription.QueueName);
            }
        }
        catch (Exception error)
        {
            // The channel closed under us (broker restart, network): the broker requeues every unacknowledged
            // delivery by itself, and the inbox makes the repeat harmless.
            LogSettleFailed(QueueName(subscription), id, error.Message);
        }
    }

    /// <summary>Quorum queues count earlier deliveries in <c>x-delivery-count</c>; classic ones only flag a redelivery.</summary>
    private static int DeliveryAttempt(BasicDeliverEventArgs delivery)
    {
        if (delivery.BasicProperties.Headers?.TryGetValue("x-delivery-count", out var count) == true)
        {
            return count switch
            {
                long l => (int)l + 1,
                int i => i + 1,
                byte[] text when int.TryParse(Encoding.UTF8.GetString(text), out var n) => n + 1,
                _ => delivery.Redelivered ? 2 : 1,
            };
        }
        return delivery.Redelivered ? 2 : 1;
    }

    private async Task<IChannel> PublishChannelAsync(CancellationToken cancellationToken)
    {
        if (_publishChannel is { IsOpen: true } open)
            return open;
        var connection = await _connected.Task.WaitAsync(cancellationToken);
        await _publishChannelLock.WaitAsync(cancellationToken);
        try
        {
            if (_publishChannel is { IsOpen: true } reopened)
                return reopened;
            _publishChannel = await connection.CreateChannelAsync(
                new CreateChannelOptions(
                    publisherConfirmationsEnabled: true,
                    publisherConfirmationTrackingEnabled: true,
                    outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(_options.PublishWindow)),
                cancellationToken);
            return _publishChannel;
        }
        finally
        {
            _publishChannelLock.Release();
        }
    }

    private async Task ConnectAsync(string clientName, CancellationToken cancellationToken)
    {
        var factory = RabbitMqConnections.Factory(_options, clientName);
        factory.AutomaticRecoveryEnabled = true;
        factory.TopologyRecoveryEnabled = true;
        factory.NetworkRecoveryInterval = TimeSpan.FromSeconds(2);
        var delay = TimeSpan.FromMilliseconds(500);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var connection = await factory.CreateConnectionAsync(cancellationToken);
                await using (var setup = await connection.CreateChannelAsync(cancellationToken: cancellationToken))
                {
                    await setup.ExchangeDeclareAsync(_options.Exchange, ExchangeType.Topic, durable: true, cancellationToken: cancellationToken);
                    await setup.ExchangeDeclareAsync(DeadLetterExchange, ExchangeType.Direct, durable: true, cancellationToken: cancellationToken);
                }
                LogConnected(_options.Host, _options.Port, _options.Exchange);
                WatchOutages(connection);
                _connected.TrySetResult(connection);
                return;
            }
            catch (Exception error) when (error is BrokerUnreachableException or OperationInterruptedException or IOException)
            {
                // A broker that answers but refuses the login is a configuration fault, not an outage: say which.
                if (Causes(error).OfType<AuthenticationFailureException>().FirstOrDefault() is { } refused)
                    LogLoginRefused(_options.Host, _options.Port, _options.UserName, refused.Message, delay.TotalSeconds);
                else
                    LogWaitingForBroker(_options.Host, _options.Port, error.Message, delay.TotalSeconds);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    /// <summary>
    /// The client reconnects by itself; these lines say when the broker went away, how the attempts go (at most one
    /// line per <see cref="RecoveryReportInterval"/>) and when it is back, so an outage is never silent.
    /// </summary>
    private void WatchOutages(IConnection connection)
    {
        var lostAt = DateTimeOffset.MinValue;
        var failedAttempts = 0;
        var lastReport = DateTimeOffset.MinValue;
        connection.ConnectionShutdownAsync += (_, shutdown) =>
        {
            if (shutdown.Initiator != ShutdownInitiator.Application)
            {
                lostAt = DateTimeOffset.UtcNow;
                failedAttempts = 0;
                LogConnectionLost(_options.Host, _options.Port, shutdown.ReplyText);
                MessagingMetrics.ConnectionLost("rabbitmq", _options.Host, _options.Port);
            }
            return Task.CompletedTask;
        };
        connection.ConnectionRecoveryErrorAsync += (_, failure) =>
        {
            failedAttempts++;
            MessagingMetrics.ReconnectFailed("rabbitmq", _options.Host, _options.Port);
            if (DateTimeOffset.UtcNow - lastReport >= RecoveryReportInterval)
            {
                lastReport = DateTimeOffset.UtcNow;
                LogStillReconnecting(_options.Host, _options.Port, failedAttempts, failure.Exception.GetBaseException().Message);
            }
            return Task.CompletedTask;
        };
        connection.RecoverySucceededAsync += (_, _) =>
        {
            LogRecovered(_options.Host, _options.Port, (DateTimeOffset.UtcNow - lostAt).TotalSeconds, failedAttempts);
            MessagingMetrics.Reconnected("rabbitmq", _options.Host, _options.Port, DateTimeOffset.UtcNow - lostAt);
            return Task.CompletedTask;
        };
    }

    private static readonly TimeSpan RecoveryReportInterval = TimeSpan.FromSeconds(10);

    private static IEnumerable<Exception> Causes(Exception error)
    {
        for (Exception? cause = error; cause is not null; cause = cause.InnerException)
        {
            yield return cause;
            if (cause is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Causes))
                    yield return inner;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _stopping.CancelAsync();
        IChannel[] channels;
        lock (_consumerChannels) channels = [.. _consumerChannels];
        foreach (var channel in channels)
            await channel.DisposeAsync();
        if (_publishChannel is not null)
            await _publishChannel.DisposeAsync();
        if (_inspectChannel is not null)
            await _inspectChannel.DisposeAsync();
        if (_connected.Task.IsCompletedSuccessfully)
            await _connected.Task.Result.DisposeAsync();
        _stopping.Dispose();
    }

    [LoggerMessage(LogLevel.Warning, "Lost the connection to RabbitMQ at {Host}:{Port} ({Reason}); reconnecting, and the outbox keeps what is published meanwhile")]
    private partial void LogConnectionLost(string host, int port, string reason);

    [LoggerMessage(LogLevel.Warning, "Still reconnecting to RabbitMQ at {Host}:{Port} after {Attempts} failed attempt(s): {Reason}")]
    private partial void LogStillReconnecting(string host, int port, int attempts, string reason);

    [LoggerMessage(LogLevel.Information, "Reconnected to RabbitMQ at {Host}:{Port} after {DownSeconds:F1} s ({Attempts} failed attempt(s))")]
    private partial void LogRecovered(string host, int port, double downSeconds, int attempts);

    [LoggerMessage(LogLevel.Information, "Connected to RabbitMQ at {Host}:{Port}, exchange '{Exchange}'")]
    private partial void LogConnected(string host, int port, string exchange);

    [LoggerMessage(LogLevel.Error, "RabbitMQ at {Host}:{Port} refused the login of user '{UserName}' (wrong user name or password? {Reason}); retrying in {DelaySeconds:F1} s")]
    private partial void LogLoginRefused(string host, int port, string userName, string reason, double delaySeconds);

    [LoggerMessage(LogLevel.Warning, "Waiting for RabbitMQ at {Host}:{Port} ({Reason}); retrying in {DelaySeconds:F1} s")]
    private partial void LogWaitingForBroker(string host, int port, string reason, double delaySeconds);

    [LoggerMessage(LogLevel.Warning, "{Queue}: message {MessageId} failed on attempt {Attempt}; redelivering in {DelayMs} ms")]
    private partial void LogRetrying(Exception error, string queue, Guid messageId, int attempt, double delayMs);

    [LoggerMessage(LogLevel.Warning, "{Queue}: could not settle message {MessageId} ({Reason}); the broker will redeliver it")]
    private partial void LogSettleFailed(string queue, Guid messageId, string reason);

    [LoggerMessage(LogLevel.Error, "{Queue}: message {MessageId} failed {Attempt} times; moved to the dead-letter queue")]
    private partial void LogDeadLettered(Exception error, string queue, Guid messageId, int attempt);
}
