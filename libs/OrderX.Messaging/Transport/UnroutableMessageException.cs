namespace OrderX.Messaging.Transport;

/// <summary>
/// No queue is bound for the message's type yet (its consumer has never started), or, on the in-process bus, a
/// bound queue's consumer is not running. The outbox keeps the row and tries again, so the event is not lost.
/// </summary>
public sealed class UnroutableMessageException(string type)
    : Exception($"No queue is bound for '{type}' yet; the message stays in the outbox.");
