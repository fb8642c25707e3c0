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
            await DropOneAsync(connection, name);
        return names.Count;
    }

    /// <summary>
    /// WITH (FORCE) ends the connections other pools still hold. PostgreSQL 15 refuses it (42501) when an autovacuum
    /// worker happens to be in the database, since this role may not signal that worker; a plain DROP ends such a
    /// worker itself, and by then the pools were cleared.
    /// </summary>
    private static async Task DropOneAsync(NpgsqlConnection connection, string name)
    {
        try
        {
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection).ExecuteNonQueryAsync();
        }
        catch (PostgresException error) when (error.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\"", connection).ExecuteNonQueryAsync();
        }
    }
}
