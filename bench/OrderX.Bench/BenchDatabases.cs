using Npgsql;

namespace OrderX.Bench;

/// <summary>
/// A distributed run starts from empty databases, as an embedded run starts from an empty data folder: stock sold
/// and outbox rows left by the previous run would otherwise change what this one measures.
/// </summary>
public static class BenchDatabases
{
    public static async Task<int> DropAsync(BenchOptions options, Action<string> log)
    {
        // Never a development or production instance's databases: only a prefix that says it is the benchmark's.
        if (!options.DatabasePrefix.Contains("bench", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"refusing to drop databases named {options.DatabasePrefix}*: the prefix must contain 'bench'");
        await using var connection = new NpgsqlConnection($"{options.Postgres};Database=postgres");
        await connection.OpenAsync();
        var names = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", connection))
        {
            list.Parameters.Add(new NpgsqlParameter { Value = options.DatabasePrefix });
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                names.Add(reader.GetString(0));
        }
        foreach (var name in names)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE \"{name.Replace("\"", "\"\"")}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        log($"dropped {names.Count} database(s) named {options.DatabasePrefix}*");
        return names.Count;
    }
}
