using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderX.Contracts;

namespace OrderX.Messaging.Outbox;

/// <summary>Adds an event to the caller's unit of work; it is published only if that unit of work commits.</summary>
public sealed class OutboxWriter(IOptions<MessagingOptions> options, TimeProvider clock)
{
    public OutboxMessage Add<TEvent>(DbContext db, TEvent integrationEvent) where TEvent : IIntegrationEvent
    {
        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var row = new OutboxMessage
        {
            Id = id,
            Type = TEvent.EventType,
            Subject = integrationEvent.Subject,
            Payload = EventEnvelopeJson.Write(id, options.Value.ServiceName, now, CorrelationContext.CorrelationId, Activity.Current?.Id, integrationEvent),
            CreatedAt = now.UtcDateTime,
            // The process that commits the row publishes it (the relay's hand-off); the poll of any instance takes it
            // only once this has passed, so a row is published twice only if its own process died or stalled.
            NextAttemptAt = (now + options.Value.RelayHandoffGrace).UtcDateTime,
        };
        db.Set<OutboxMessage>().Add(row);
        return row;
    }
}
