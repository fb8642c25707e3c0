using System.Diagnostics;
using System.Text.Json;
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
        var envelope = new EventEnvelope
        {
            Id = Guid.CreateVersion7(now),
            Type = TEvent.EventType,
            Source = options.Value.ServiceName,
            Time = now,
            Subject = integrationEvent.Subject,
            CorrelationId = CorrelationContext.CorrelationId,
            TraceParent = Activity.Current?.Id,
            Data = JsonSerializer.SerializeToElement(integrationEvent, ContractJson.Options),
        };
        var row = new OutboxMessage
        {
            Id = envelope.Id,
            Type = envelope.Type,
            Subject = envelope.Subject,
            Payload = JsonSerializer.Serialize(envelope, ContractJson.Options),
            CreatedAt = now.UtcDateTime,
            // The process that commits the row publishes it (the relay's hand-off); the poll of any instance takes it
            // only once this has passed, so a row is published twice only if its own process died or stalled.
            NextAttemptAt = (now + options.Value.RelayHandoffGrace).UtcDateTime,
        };
        db.Set<OutboxMessage>().Add(row);
        return row;
    }
}
