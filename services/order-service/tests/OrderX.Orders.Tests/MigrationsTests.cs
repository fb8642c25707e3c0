using OrderX.Orders.Data;
using OrderX.Testing;

namespace OrderX.Orders.Tests;

public class MigrationsTests
{
    [Fact]
    public void Both_providers_migrations_match_the_model()
    {
        using var sqlite = new SqliteOrdersDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresOrdersDesignTimeFactory().CreateDbContext([]);
        MigrationChecks.AssertNoPendingModelChanges(sqlite, postgres);
    }

    [Fact]
    public async Task The_sqlite_migrations_build_the_schema_from_nothing()
    {
        var tables = await MigrationChecks.MigrateSqliteAsync<SqliteOrdersDbContext>(o => new SqliteOrdersDbContext(o));

        Assert.Superset(new HashSet<string> { "__EFMigrationsHistory", "orders", "order_items", "outbox_messages", "inbox_messages" }, tables.ToHashSet());
    }
}
