using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrderX.Testing;

/// <summary>Counts the queries a context sends, optionally only those that read <paramref name="table"/>.</summary>
public sealed class SelectCounter(string? table = null) : DbCommandInterceptor
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (command.CommandText.TrimStart().StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
            && (table is null || command.CommandText.Contains(table, StringComparison.Ordinal)))
            Interlocked.Increment(ref _count);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }
}
