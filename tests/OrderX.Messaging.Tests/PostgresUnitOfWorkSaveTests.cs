using Microsoft.EntityFrameworkCore;
using OrderX.Testing;

namespace OrderX.Messaging.Tests;

/// <summary>The unit of work's save on a real PostgreSQL (scripts/infra.sh starts one), in a database of its own.</summary>
public sealed class PostgresUnitOfWorkSaveTests : UnitOfWorkSaveTests
{
    private readonly string _connectionString = $"{TestInfrastructure.PostgresServer};Database=orderx_test_unitofwork_{TestInfrastructure.UniqueSuffix()}";

    protected override void ConfigureDatabase(DbContextOptionsBuilder options) => options.UseNpgsql(_connectionString);

    public override Task DisposeAsync() => TestDatabases.DropAsync(new Npgsql.NpgsqlConnectionStringBuilder(_connectionString).Database!);
}
