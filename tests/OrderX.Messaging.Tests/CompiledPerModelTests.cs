using Microsoft.EntityFrameworkCore;
using OrderX.Testing;

namespace OrderX.Messaging.Tests;

/// <summary>
/// One compiled query for contexts of one type on two providers in one process (as the tests of each service run):
/// EF Core refuses to run a compiled query against a model other than the one it was compiled for.
/// </summary>
public sealed class CompiledPerModelTests : IAsyncLifetime
{
    private static readonly CompiledPerModel<Func<UnitOfWorkContext, string, CancellationToken, Task<int>>> ReceiptsIn = new(() => EF.CompileAsyncQuery(
        (UnitOfWorkContext db, string currency, CancellationToken _) => db.Receipts.Count(r => r.Currency == currency)));

    private readonly SqliteTestFile _sqlite = new("compiled");
    private readonly string _postgres = $"{TestInfrastructure.PostgresServer};Database=orderx_test_compiled_{TestInfrastructure.UniqueSuffix()}";

    public async Task InitializeAsync()
    {
        foreach (var (db, currencies) in new[] { (Sqlite(), new[] { "EUR", "EUR", "USD" }), (Postgres(), new[] { "EUR" }) })
        {
            await using (db)
            {
                await db.Database.EnsureCreatedAsync();
                db.Receipts.AddRange(currencies.Select(c => new Receipt { Id = Guid.CreateVersion7(), Currency = c, IssuedAt = DateTime.UtcNow }));
                await db.SaveChangesAsync();
            }
        }
    }

    [Fact]
    public async Task A_query_compiled_per_model_runs_on_each_providers_model_with_its_own_data()
    {
        await using var sqlite = Sqlite();
        await using var postgres = Postgres();
        Assert.NotSame(sqlite.Model, postgres.Model);

        Assert.Equal(2, await ReceiptsIn.For(sqlite)(sqlite, "EUR", CancellationToken.None));
        Assert.Equal(1, await ReceiptsIn.For(postgres)(postgres, "EUR", CancellationToken.None));
        Assert.Equal(1, await ReceiptsIn.For(sqlite)(sqlite, "USD", CancellationToken.None));
        Assert.Same(ReceiptsIn.For(sqlite), ReceiptsIn.For(Sqlite()));
        Assert.NotSame(ReceiptsIn.For(sqlite), ReceiptsIn.For(postgres));
    }

    public async Task DisposeAsync()
    {
        await _sqlite.DeleteAsync();
        await TestDatabases.DropAsync(new Npgsql.NpgsqlConnectionStringBuilder(_postgres).Database!);
    }

    private UnitOfWorkContext Sqlite() => new(new DbContextOptionsBuilder<UnitOfWorkContext>().UseSqlite(_sqlite.ConnectionString).Options);

    private UnitOfWorkContext Postgres() => new(new DbContextOptionsBuilder<UnitOfWorkContext>().UseNpgsql(_postgres).Options);
}
