using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrderX.ServiceData;

/// <summary>
/// Sets up each SQLite connection once, when it is first opened (Microsoft.Data.Sqlite pools them, and the settings
/// stay with the pooled handle; setting them on every open was one more statement per database operation):
/// <list type="bullet">
/// <item>busy_timeout: when two writers meet on one file, Microsoft.Data.Sqlite retries after sleeping 150 ms;
/// SQLite's own busy handler retries after 1, 2, 5… ms instead, which keeps the embedded mode's latency at
/// milliseconds while the relay, a consumer and a request write to the same service database.</item>
/// <item>synchronous = NORMAL (with the WAL journal the initializer sets): a commit is in the log once it returns,
/// so killing any process loses nothing; only an operating-system crash or a power cut can lose the last commits,
/// which FULL (<c>Database:SqliteSynchronous</c>) guards against at the price of a disk flush per commit.</item>
/// </list>
/// </summary>
public sealed class SqliteConnectionPragmas(string synchronous) : DbConnectionInterceptor
{
    private readonly ConditionalWeakTable<object, object> _configured = new();
    private readonly string _pragmas = $"PRAGMA busy_timeout = 10000; PRAGMA synchronous = {synchronous};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!NeedsSetup(connection))
            return;
        using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!NeedsSetup(connection))
            return;
        await using var command = connection.CreateCommand();
        command.CommandText = _pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Keyed by the native handle, which the pool hands from one connection object to the next.
    private bool NeedsSetup(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle })
            return true;
        if (_configured.TryGetValue(handle, out _))
            return false;
        _configured.AddOrUpdate(handle, handle);
        return true;
    }
}
