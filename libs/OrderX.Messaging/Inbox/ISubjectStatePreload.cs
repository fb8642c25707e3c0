namespace OrderX.Messaging.Inbox;

/// <summary>
/// A scoped service that keeps state per order (per event subject) and can load the state of many orders in one
/// query; <see cref="SubjectBatchPreloader{TContext, TState}"/> hands it the ids a consumer batch names.
/// </summary>
public interface ISubjectStatePreload
{
    Task PreloadAsync(IReadOnlyList<Guid> subjectIds, CancellationToken cancellationToken);
}
