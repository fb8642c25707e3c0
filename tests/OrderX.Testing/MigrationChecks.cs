using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace OrderX.Testing;

/// <summary>Checks every service runs on its two migration sets: they match the model, and they build the schema.</summary>
public static class MigrationChecks
{
    /// <summary>A model change without a migration for each provider fails here, not at a user's start-up.</summary>
    public static void AssertNoPendingModelChanges(DbContext sqlite, DbContext postgres)
    {
        Assert.False(sqlite.Database.HasPendingModelChanges(), $"{sqlite.GetType().Name}: the model changed; add a SQLite migration");
        Assert.False(postgres.Database.HasPendingModelChanges(), $"{postgres.GetType().Name}: the model changed; add a PostgreSQL migration");
    }

    /// <summary>Applies the SQLite migrations to an empty database and returns its tables.</summary>
    public static async Task<IReadOnlyList<string>> MigrateSqliteAsync<TContext>(Func<DbContextOptions<TContext>, TContext> create) where TContext : DbContext
    {
        await using var connection = new SqliteConnection("DataSource=:memory:");
        await connection.OpenAsync();
        await using var db = create(new DbContextOptionsBuilder<TContext>().UseSqlite(connection).Options);
        await db.Database.MigrateAsync();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
        var tables = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            tables.Add(reader.GetString(0));
        return tables;
    }
}
