using System.Diagnostics;
using Npgsql;

namespace OrderX.Bench;

/// <summary>The database's own ceiling here: single-row insert transactions per second over 16 connections.</summary>
public static class PostgresLimit
{
    // Outside every OrderX prefix: its commits are no OrderX database's (DatabaseCommits counts those by prefix).
    private const string Database = "bench_postgres_limit";

    public static async Task<double> InsertTransactionsPerSecondAsync(string server, double seconds, int connections = 16)
    {
        await using (var admin = new NpgsqlConnection($"{server};Database=postgres"))
        {
            await admin.OpenAsync();
            await using var exists = new NpgsqlCommand($"SELECT 1 FROM pg_database WHERE datname = '{Database}'", admin);
            if (await exists.ExecuteScalarAsync() is null)
                await new NpgsqlCommand($"CREATE DATABASE {Database}", admin).ExecuteNonQueryAsync();
        }
        var connectionString = $"{server};Database={Database};Maximum Pool Size={connections + 2}";
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await new NpgsqlCommand("DROP TABLE IF EXISTS inserts; CREATE TABLE inserts (id bigserial PRIMARY KEY, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())", setup).ExecuteNonQueryAsync();
        }
        var count = 0L;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO inserts (payload) VALUES ($1)", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = new string('x', 200) });
            await insert.PrepareAsync();
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                await insert.ExecuteNonQueryAsync();
                Interlocked.Increment(ref count);
            }
        })));
        var rate = count / clock.Elapsed.TotalSeconds;
        await using (var cleanup = new NpgsqlConnection(connectionString))
        {
            await cleanup.OpenAsync();
            await new NpgsqlCommand("DROP TABLE inserts", cleanup).ExecuteNonQueryAsync();
        }
        return Math.Round(rate, 0);
    }
}
