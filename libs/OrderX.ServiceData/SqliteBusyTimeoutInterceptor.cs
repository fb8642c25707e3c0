using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OrderX.ServiceData;

/// <summary>
/// When two writers meet on one SQLite file, Microsoft.Data.Sqlite retries after sleeping 150 ms. SQLite's own
/// busy handler retries after 1, 2, 5… ms instead, which keeps the embedded mode's latency at milliseconds
/// while the relay, a consumer and a request write to the same service database.
/// </summary>
public sealed class SqliteBusyTimeoutInterceptor : DbConnectionInterceptor
{
    public static readonly SqliteBusyTimeoutInterceptor Instance = new();

    private const string Pragma = "PRAGMA busy_timeout = 10000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
