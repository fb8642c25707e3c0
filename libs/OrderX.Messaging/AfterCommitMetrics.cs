using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace OrderX.Messaging;

/// <summary>
/// Counts what a unit of work did to <typeparamref name="TEntity"/> once it is committed, never before: a rolled-back
/// or failed handling counts nothing, so the flow's counters move exactly once per order however often it is retried.
/// <paramref name="measure"/> looks at a saved entry (changes not detected yet: compare with its original values) and
/// returns what to record after the commit, or null.
/// </summary>
public sealed class AfterCommitMetrics<TEntity>(Func<EntityEntry<TEntity>, Action?> measure) : AfterCommitInterceptor<Action>
    where TEntity : class
{
    protected override void Collect(DbContext context, List<Action> changes)
    {
        foreach (var entry in context.ChangeTracker.Entries<TEntity>())
        {
            if (measure(entry) is { } record)
                changes.Add(record);
        }
    }

    protected override void Committed(IReadOnlyList<Action> changes)
    {
        foreach (var record in changes)
            record();
    }
}
