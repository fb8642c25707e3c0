using OrderX.Notifications.Data;
using OrderX.Testing;

namespace OrderX.Notifications.Tests;

public class MigrationsTests
{
    [Fact]
    public void Both_providers_migrations_match_the_model()
    {
        using var sqlite = new SqliteNotificationsDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresNotificationsDesignTimeFactory().CreateDbContext([]);
        MigrationChecks.AssertNoPendingModelChanges(sqlite, postgres);
    }

    [Fact]
    public async Task The_sqlite_migrations_build_the_schema_from_nothing()
    {
        var tables = await MigrationChecks.MigrateSqliteAsync<SqliteNotificationsDbContext>(o => new SqliteNotificationsDbContext(o));

        Assert.Superset(new HashSet<string> { "__EFMigrationsHistory", "notifications", "outbox_messages", "inbox_messages" }, tables.ToHashSet());
    }
}
