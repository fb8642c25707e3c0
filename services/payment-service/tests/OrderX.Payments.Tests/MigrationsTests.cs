using OrderX.Payments.Data;
using OrderX.Testing;

namespace OrderX.Payments.Tests;

public class MigrationsTests
{
    [Fact]
    public void Both_providers_migrations_match_the_model()
    {
        using var sqlite = new SqlitePaymentsDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresPaymentsDesignTimeFactory().CreateDbContext([]);
        MigrationChecks.AssertNoPendingModelChanges(sqlite, postgres);
    }

    [Fact]
    public async Task The_sqlite_migrations_build_the_schema_from_nothing()
    {
        var tables = await MigrationChecks.MigrateSqliteAsync<SqlitePaymentsDbContext>(o => new SqlitePaymentsDbContext(o));

        Assert.Superset(new HashSet<string> { "__EFMigrationsHistory", "payments", "outbox_messages", "inbox_messages" }, tables.ToHashSet());
    }
}
