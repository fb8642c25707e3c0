using OrderX.Users.Data;
using OrderX.Testing;

namespace OrderX.Users.Tests;

public class MigrationsTests
{
    [Fact]
    public void Both_providers_migrations_match_the_model()
    {
        using var sqlite = new SqliteUsersDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresUsersDesignTimeFactory().CreateDbContext([]);
        MigrationChecks.AssertNoPendingModelChanges(sqlite, postgres);
    }

    [Fact]
    public async Task The_sqlite_migrations_build_the_schema_from_nothing()
    {
        var tables = await MigrationChecks.MigrateSqliteAsync<SqliteUsersDbContext>(o => new SqliteUsersDbContext(o));

        Assert.Superset(new HashSet<string> { "__EFMigrationsHistory", "users" }, tables.ToHashSet());
    }
}
