using OrderX.Products.Data;
using OrderX.Testing;

namespace OrderX.Products.Tests;

public class MigrationsTests
{
    [Fact]
    public void Both_providers_migrations_match_the_model()
    {
        using var sqlite = new SqliteProductsDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresProductsDesignTimeFactory().CreateDbContext([]);
        MigrationChecks.AssertNoPendingModelChanges(sqlite, postgres);
    }

    [Fact]
    public async Task The_sqlite_migrations_build_the_schema_from_nothing()
    {
        var tables = await MigrationChecks.MigrateSqliteAsync<SqliteProductsDbContext>(o => new SqliteProductsDbContext(o));

        Assert.Superset(new HashSet<string> { "__EFMigrationsHistory", "products" }, tables.ToHashSet());
    }
}
