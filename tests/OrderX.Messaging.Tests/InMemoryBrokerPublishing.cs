using System.Text.Json;
using OrderX.Contracts;
using OrderX.Messaging.InMemory;
using OrderX.Messaging.Transport;

namespace OrderX.Messaging.Tests;

public static class InMemoryBrokerPublishing
{
    /// <summary>
    /// Hands the envelope to the in-process broker without waiting for its consumers; false while a queue it is
    /// bound for has no consumer yet (the broker refuses it), so a test can retry until the consumer subscribed.
    /// </summary>
    public static bool TryPublish(this InMemoryBroker broker, EventEnvelope envelope)
    {
        try
        {
            _ = broker.PublishAsync(new TransportMessage(envelope.Id, envelope.Type, envelope.Subject, JsonSerializer.SerializeToUtf8Bytes(envelope, ContractJson.Options)), default);
            return true;
        }
        catch (UnroutableMessageException)
        {
            return false;
        }
    }
}
