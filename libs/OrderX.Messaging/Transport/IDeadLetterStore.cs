namespace OrderX.Messaging.Transport;

/// <summary>A message a subscription gave up on, as an operator sees it.</summary>
public sealed record DeadLetterMessage(string MessageId, string Type, string? Subject, string? Reason, string Body);

/// <summary>
/// Where a transport keeps what its subscriptions gave up on, and what an operator does with it once the fault is
/// fixed. A place is a queue per subscription on a queue broker, a topic per service on a log. A replay goes back to
/// that place's own subscriptions only (other services that handled the event are not bothered again), and the
/// inboxes make a repeat of a message already applied harmless. A discard drops what the place holds.
/// </summary>
public interface IDeadLetterStore
{
    /// <summary>The places that hold the dead letters of <paramref name="service"/>'s subscriptions to <paramref name="eventTypes"/>.</summary>
    IReadOnlyList<string> PlacesOf(string service, IEnumerable<string> eventTypes);

    /// <summary>How many dead letters <paramref name="place"/> holds; null while the broker has no such place yet (its subscriber never started).</summary>
    Task<long?> CountAsync(string place, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> of them, left where they are.</summary>
    Task<IReadOnlyList<DeadLetterMessage>> PeekAsync(string place, int max, CancellationToken cancellationToken);

    /// <summary>Puts every dead letter of the place back to its subscriptions; returns how many.</summary>
    Task<int> ReplayAsync(string place, CancellationToken cancellationToken);

    /// <summary>Drops every dead letter of the place; returns how many.</summary>
    Task<int> DiscardAsync(string place, CancellationToken cancellationToken);
}

/// <summary>The broker did not answer an operator's request; nothing was changed by it.</summary>
public sealed class TransportUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
