using System.Text.Json;
using OrderX.Contracts;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Consumers;

/// <summary>A delivery with its envelope read once, and the handler it is for.</summary>
public sealed record Delivery(EventSubscription Subscription, IncomingMessage Message, EventEnvelope Envelope)
{
    public static Delivery Read(EventSubscription subscription, IncomingMessage message) =>
        new(subscription, message, JsonSerializer.Deserialize<EventEnvelope>(message.Body.Span, ContractJson.Options)
            ?? throw new JsonException($"Message {message.Id} has an empty body."));
}
