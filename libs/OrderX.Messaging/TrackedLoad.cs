namespace OrderX.Messaging;

public static class TrackedLoad
{
    /// <summary>
    /// Runs a compiled tracking query for its rows to be tracked by the context (a batch's preload), as EF Core's
    /// <c>LoadAsync</c> does for a LINQ query.
    /// </summary>
    public static async Task LoadAsync<T>(this IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        await foreach (var _ in rows.WithCancellation(cancellationToken))
        {
        }
    }
}
