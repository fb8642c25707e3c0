using Npgsql;

namespace OrderX.Bench;

/// <summary>
/// PostgreSQL's committed transactions over OrderX's databases (read-only ones count too). The limits probe's database
/// shares the prefix and is left out: its backends report their last second of inserts after the probe ends, into the
/// measured phases.
/// </summary>
public static class DatabaseCommits
{
    public static async Task<long> CountAsync(BenchOptions options)
    {
        await using var connection = new NpgsqlConnection($"{options.Postgres};Database=postgres");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT coalesce(sum(xact_commit), 0)::bigint FROM pg_stat_database WHERE datname LIKE $1 AND datname <> $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = options.DatabasePrefix + "%" });
        command.Parameters.Add(new NpgsqlParameter { Value = PostgresLimit.Database });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Backends report their counts at most once a second; waiting lets the last ones land.</summary>
    public static Task SettleAsync() => Task.Delay(TimeSpan.FromMilliseconds(1500));
}
