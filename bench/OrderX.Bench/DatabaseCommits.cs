using Npgsql;

namespace OrderX.Bench;

/// <summary>PostgreSQL's committed transactions over OrderX's databases, those named with its prefix (read-only ones count too).</summary>
public static class DatabaseCommits
{
    public static async Task<long> CountAsync(BenchOptions options)
    {
        await using var connection = new NpgsqlConnection($"{options.Postgres};Database=postgres");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT coalesce(sum(xact_commit), 0)::bigint FROM pg_stat_database WHERE starts_with(datname, $1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = options.DatabasePrefix });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Backends report their counts at most once a second; waiting lets the last ones land.</summary>
    public static Task SettleAsync() => Task.Delay(TimeSpan.FromMilliseconds(1500));
}
