using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace OrderX.Bench;

/// <summary>Commit → confirmed publish, read back from the publishing services' outbox tables after the run.</summary>
public static class OutboxLag
{
    private static readonly string[] Publishers = ["order", "payment"];

    public static async Task<Percentiles> MeasureAsync(BenchOptions options, DateTime sinceUtc)
    {
        var lags = new List<double>();
        foreach (var service in Publishers)
        {
            await using DbConnection connection = options.Distributed
                ? new NpgsqlConnection($"{options.Postgres};Database={options.DatabasePrefix}{service}")
                : new SqliteConnection($"Data Source={Path.Combine(options.DataDirectory, service + ".db")};Mode=ReadOnly");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT created_at, sent_at FROM outbox_messages WHERE sent_at IS NOT NULL AND created_at >= @since";
            var since = command.CreateParameter();
            since.ParameterName = "since";
            since.Value = sinceUtc;
            command.Parameters.Add(since);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                lags.Add((reader.GetDateTime(1) - reader.GetDateTime(0)).TotalMilliseconds);
        }
        return Percentiles.Of(lags);
    }
}
