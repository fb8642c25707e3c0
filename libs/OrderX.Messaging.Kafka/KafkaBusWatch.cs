using System.Threading.Channels;
using Confluent.Kafka;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Kafka;

/// <summary>
/// Watches the event topics from their ends: a consumer assigned every partition at its high watermark, in no consumer
/// group (it joins none and commits nothing, so it takes no work from the services). Topics created after the watch
/// started are seen by the next watch.
/// </summary>
public sealed class KafkaBusWatch(KafkaOptions options) : IBusWatch
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    public async Task<BusWatcher> StartAsync(IReadOnlyCollection<string> eventTypes, CancellationToken cancellationToken)
    {
        var consumer = await Task.Run(() => Assigned(eventTypes), cancellationToken);
        var seen = BusWatcher.NewBuffer();
        var stop = new CancellationTokenSource();
        // librdkafka's consumer is driven by one blocking caller: a thread of its own.
        var reading = Task.Factory.StartNew(() => Read(consumer, seen.Writer, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return new BusWatcher(seen.Reader, async () =>
        {
            await stop.CancelAsync();
            // A consumer's close waits on the cluster; a watch that ends must not wait with it for ever.
            try
            {
                await reading.WaitAsync(CloseTimeout);
                stop.Dispose();
            }
            catch (TimeoutException)
            {
                // Its thread finishes on its own, or with the process.
            }
        });
    }

    private IConsumer<string, byte[]> Assigned(IReadOnlyCollection<string> eventTypes)
    {
        var names = new KafkaNames(options.Prefix);
        var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig(options.ClientConfig("orderx-bus-watch"))
        {
            GroupId = names.Group("bus-watch"),
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
        }).SetLogHandler((_, _) => { }).Build();
        try
        {
            using var admin = new DependentAdminClientBuilder(consumer.Handle).Build();
            var topics = eventTypes.Select(names.Topic).ToHashSet(StringComparer.Ordinal);
            var partitions = admin.GetMetadata(Timeout).Topics.Where(t => topics.Contains(t.Topic))
                .SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p.PartitionId)));
            // Explicit end offsets, not Offset.End (resolved only at the first fetch): whatever is produced once this returns is seen.
            consumer.Assign(partitions.Select(p => new TopicPartitionOffset(p, consumer.QueryWatermarkOffsets(p, Timeout).High)).ToList());
            return consumer;
        }
        catch (KafkaException error)
        {
            consumer.Dispose();
            throw new TransportUnavailableException($"Kafka at {options.BootstrapServers}: {error.Error.Reason}", error);
        }
    }

    private void Read(IConsumer<string, byte[]> consumer, ChannelWriter<TransportMessage> seen, CancellationToken stop)
    {
        using (consumer)
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    if (consumer.Consume(stop)?.Message is not { } message)
                        continue;
                    var id = Guid.TryParse(KafkaTransport.HeaderText(message.Headers, KafkaHeaders.Id), out var parsed) ? parsed : Guid.Empty;
                    var type = KafkaTransport.HeaderText(message.Headers, KafkaHeaders.Type) ?? "";
                    seen.TryWrite(new TransportMessage(id, type, message.Key ?? "", message.Value));
                }
                seen.TryComplete();
            }
            catch (OperationCanceledException)
            {
                seen.TryComplete();
            }
            catch (KafkaException error)
            {
                seen.TryComplete(new TransportUnavailableException($"Kafka at {options.BootstrapServers}: {error.Error.Reason}", error));
            }
        }
    }
}
