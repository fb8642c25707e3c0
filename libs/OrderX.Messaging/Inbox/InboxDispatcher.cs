using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrderX.Contracts;
using OrderX.Messaging.Consumers;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Inbox;

/// <summary>
/// Runs a handler exactly once per message id: the inbox row commits with the handler's effect. Handlers never
/// save; a handler may begin a transaction, which is committed here after the save (and rolled back on failure).
/// </summary>
public sealed partial class InboxDispatcher<TContext>(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<MessagingOptions> options,
    ILogger<InboxDispatcher<TContext>> logger) where TContext : DbContext
{
    public Task DispatchAsync(EventSubscription subscription, IncomingMessage message, CancellationToken cancellationToken) =>
        DispatchAsync(Delivery.Read(subscription, message), cancellationToken);

    public async Task DispatchAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        var (subscription, _, envelope) = delivery;
        CorrelationContext.CorrelationId = envelope.CorrelationId;
        CorrelationContext.OrderId = envelope.Subject;
        // The handler's own events carry this span's context on, so the whole order stays one trace.
        using var activity = MessagingTelemetry.StartProcess(options.Value.ServiceName, envelope.Type, envelope.Id, envelope.Subject, envelope.TraceParent, subscription.Consumer);

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        // No look-up first: the inbox row's key refuses a message handled before, and the handler's effect is
        // discarded with it (a round trip saved on every delivery; duplicates are rare). A handler with an effect
        // outside the database checks for it itself, as the notifier does for its e-mail.
        db.Set<InboxMessage>().Add(InboxRow(envelope, subscription, clock.GetUtcNow().UtcDateTime));
        await subscription.Invoke(scope.ServiceProvider, envelope, cancellationToken);
        try
        {
            await SaveAsync(db, cancellationToken);
        }
        catch (DbUpdateException)
        {
            if (!await AlreadyProcessedAsync(envelope.Id, subscription.Consumer, cancellationToken))
                throw;
            // A concurrent delivery of the same message committed first; its effect stands, ours is discarded.
            LogDuplicate(envelope.Type, envelope.Id, subscription.Consumer);
            MessagingMetrics.Duplicate(new Subscription(options.Value.ServiceName, subscription.EventType).QueueName);
        }
    }

    /// <summary>
    /// Several deliveries, of any of the service's queues, in one unit of work: the service's
    /// <see cref="IBatchPreloader{TContext}"/> if it has one, the handlers in turn on one context, one save that
    /// commits them all with their inbox rows. All or nothing: if a handler or the save fails, nothing of the batch is
    /// kept and the exception says so; the caller then handles each delivery on its own.
    /// </summary>
    public async Task DispatchBatchAsync(IReadOnlyList<Delivery> deliveries, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        // No inbox look-up first, as for a single delivery: the inbox rows' key refuses a message handled before, so
        // the save fails, nothing of the batch is kept, and the caller handles each delivery on its own, where the
        // repeat is recognised. A round trip saved on every batch; a repeat (a redelivery after a crash or a lost
        // ack) costs its batch a second pass. Only a message delivered twice into the same batch is caught here.
        var taken = new HashSet<(Guid, string)>();
        var fresh = new List<Delivery>(deliveries.Count);
        foreach (var delivery in deliveries)
        {
            var (subscription, _, envelope) = delivery;
            if (taken.Add((envelope.Id, subscription.Consumer)))
            {
                fresh.Add(delivery);
                continue;
            }
            LogDuplicate(envelope.Type, envelope.Id, subscription.Consumer);
            MessagingMetrics.Duplicate(new Subscription(options.Value.ServiceName, subscription.EventType).QueueName);
        }
        // The preload's reads need no transaction of their own (each sees what is committed, as it would in one at
        // read committed); the writes of the whole batch commit together in the save.
        if (fresh.Count > 1 && scope.ServiceProvider.GetService<IBatchPreloader<TContext>>() is { } preloader)
            await preloader.PreloadAsync(db, fresh.Select(d => d.Envelope).ToList(), cancellationToken);
        var processedAt = clock.GetUtcNow().UtcDateTime;
        foreach (var (subscription, _, envelope) in fresh)
        {
            CorrelationContext.CorrelationId = envelope.CorrelationId;
            CorrelationContext.OrderId = envelope.Subject;
            using var activity = MessagingTelemetry.StartProcess(options.Value.ServiceName, envelope.Type, envelope.Id, envelope.Subject, envelope.TraceParent, subscription.Consumer);
            db.Set<InboxMessage>().Add(InboxRow(envelope, subscription, processedAt));
            await subscription.Invoke(scope.ServiceProvider, envelope, cancellationToken);
        }
        await SaveAsync(db, cancellationToken);
    }

    // A handler that needs its rows locked first (the stock ledger) opens a transaction; the inbox rows and the effect
    // are written in it and commit with it, on PostgreSQL in the save's own round trip. Otherwise the save is the unit
    // of work and its commit (UnitOfWorkSave).
    private static Task SaveAsync(TContext db, CancellationToken cancellationToken) => db.SaveAndCommitAsync(cancellationToken);

    private static InboxMessage InboxRow(EventEnvelope envelope, EventSubscription subscription, DateTime processedAt) => new()
    {
        MessageId = envelope.Id,
        Consumer = subscription.Consumer,
        Type = envelope.Type,
        ProcessedAt = processedAt,
    };

    // After a failed save the context holds the discarded effect, so the check runs in a fresh one.
    private async Task<bool> AlreadyProcessedAsync(Guid messageId, string consumer, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        return await db.Set<InboxMessage>().AsNoTracking()
            .AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, cancellationToken);
    }

    [LoggerMessage(LogLevel.Information, "Inbox: {Type} {MessageId} already handled by {Consumer}; duplicate ignored")]
    private partial void LogDuplicate(string type, Guid messageId, string consumer);
}
