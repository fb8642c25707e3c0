using Microsoft.EntityFrameworkCore;
using OrderX.Contracts;

namespace OrderX.Messaging.Inbox;

/// <summary>
/// Loads, before a batch's handlers run, what each of them would otherwise look up on its own: one query for the
/// batch instead of one per delivery. What it loads is tracked by the batch's context, where the handlers' own
/// look-ups by key (<c>FindAsync</c>) find it without a round trip. Optional: a service registers one in its scope.
/// </summary>
public interface IBatchPreloader<in TContext> where TContext : DbContext
{
    /// <param name="envelopes">The batch's deliveries, each message once (two or more: for one, its handler's own look-up
    /// is the same single query), in the order their handlers run. One handled before may be among them: the inbox refuses
    /// it in the batch's save, and the batch is handled again one delivery at a time.</param>
    Task PreloadAsync(TContext db, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken);
}
