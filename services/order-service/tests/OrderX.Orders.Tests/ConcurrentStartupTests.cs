using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using OrderX.Orders.Data;
using OrderX.ServiceData;
using OrderX.Testing;

namespace OrderX.Orders.Tests;

/// <summary>Replicas of one service starting at the same moment on a database that does not exist yet (real PostgreSQL).</summary>
public sealed class ConcurrentStartupTests : IAsyncLifetime
{
    private readonly string _connectionString =
        new NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresServer) { Database = $"orderx_test_migrate_{TestInfrastructure.UniqueSuffix()}" }.ConnectionString;

    [Fact]
    public async Task Three_replicas_starting_together_create_and_migrate_the_database_once()
    {
        var settings = new DatabaseSettings(DatabaseSettings.Postgres, _connectionString);
        var replicas = Enumerable.Range(0, 3).Select(_ =>
        {
            var services = new ServiceCollection();
            services.AddDbContext<OrdersDbContext, PostgresOrdersDbContext>(o => settings.Configure(o));
            var provider = services.BuildServiceProvider();
            return (provider, initializer: new DatabaseInitializer<OrdersDbContext>(
                provider.GetRequiredService<IServiceScopeFactory>(), settings, null, NullLogger<DatabaseInitializer<OrdersDbContext>>.Instance));
        }).ToList();

        await Task.WhenAll(replicas.Select(r => r.initializer.StartAsync(default))).WaitAsync(TimeSpan.FromSeconds(60));

        await using var check = replicas[0].provider.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<OrdersDbContext>();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.Equal(0, await db.Orders.CountAsync());
        foreach (var (provider, _) in replicas)
            await provider.DisposeAsync();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => TestDatabases.DropAsync(new NpgsqlConnectionStringBuilder(_connectionString).Database!);
}
