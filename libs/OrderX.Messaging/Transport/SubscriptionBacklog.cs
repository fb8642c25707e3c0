namespace OrderX.Messaging.Transport;

/// <summary>
/// Messages waiting for a subscription at its broker. A queue broker counts what is ready in the queue, the same for
/// every instance that asks (<see cref="IsConsumerLag"/> false: take the maximum over instances); a log counts the
/// offsets not yet handled on the partitions this instance holds (true: add the instances up).
/// </summary>
public readonly record struct SubscriptionBacklog(long Messages, bool IsConsumerLag);
