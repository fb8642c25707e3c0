using Microsoft.EntityFrameworkCore;
using OrderX.Contracts;

namespace OrderX.Messaging.Inbox;

/// <summary>
/// The state of every order a batch of order events names (their subject is the order's id), in one query: the
/// state's owner (the batch's, on the batch's context) then looks none of them up on its own.
/// </summary>
public sealed class SubjectBatchPreloader<TContext, TState>(TState state) : IBatchPreloader<TContext>
    where TContext : DbContext
    where TState : ISubjectStatePreload
{
    public Task PreloadAsync(TContext db, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        var subjectIds = BatchSubjects.Ids(envelopes);
        return subjectIds.Count == 0 ? Task.CompletedTask : state.PreloadAsync(subjectIds, cancellationToken);
    }
}
