using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using OrderX.Messaging.Consumers;

namespace OrderX.ServiceData;

/// <summary>The failures that mean "a dependency is down or overloaded", as opposed to a bug or bad data.</summary>
public sealed class DependencyFailures : ITransientFailureDetector
{
    public static readonly DependencyFailures Instance = new();

    public bool IsTransient(Exception error) => error switch
    {
        Npgsql.NpgsqlException { IsTransient: true } => true, // includes 53300 too_many_connections, 57P01 admin shutdown
        Npgsql.NpgsqlException { InnerException: SocketException or IOException or TimeoutException } => true,
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 } => true, // SQLITE_BUSY, SQLITE_LOCKED
        TimeoutException or SocketException => true,
        DbUpdateException { InnerException: { } inner } => IsTransient(inner),
        InvalidOperationException { InnerException: { } inner } => IsTransient(inner), // EF's "likely due to a transient failure"
        _ => false,
    };
}
