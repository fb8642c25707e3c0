using OrderX.Contracts;

namespace OrderX.Messaging.Inbox;

public static class BatchSubjects
{
    /// <summary>The distinct subjects of a batch that are ids (an order event's subject is its order's id).</summary>
    public static List<Guid> Ids(IEnumerable<EventEnvelope> envelopes) =>
        envelopes.Select(e => Guid.TryParse(e.Subject, out var id) ? id : (Guid?)null).OfType<Guid>().Distinct().ToList();
}
