using Npgsql;

namespace OrderX.Testing;

/// <summary>Drops the PostgreSQL databases a test created, even while pooled connections still hold them.</summary>
public static class TestDatabases
{
    /// <summary>Drops the databases whose names match the LIKE pattern; returns how many there were.</summary>
    public static async Task<int> DropAsync(string namePattern, string? server = null)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection($"{server ?? TestInfrastructure.PostgresServer};Database=postgres");
        await connection.OpenAsync();
        var names = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE $1", connection))
        {
            list.Parameters.Add(new NpgsqlParameter { Value = namePattern });
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                names.Add(reader.GetString(0));
        }
        foreach (var name in names)
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection).ExecuteNonQueryAsync();
        return names.Count;
    }
}
