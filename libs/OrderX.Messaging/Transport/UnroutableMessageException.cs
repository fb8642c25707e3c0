namespace OrderX.Messaging.Transport;

/// <summary>
/// No queue is bound for the message's type yet (its consumer has never started). The outbox keeps the
/// row and tries again, so an event published before its consumer first declared its queue is not lost.
/// </summary>
public sealed class UnroutableMessageException(string type)
    : Exception($"No queue is bound for '{type}' yet; the message stays in the outbox.");
