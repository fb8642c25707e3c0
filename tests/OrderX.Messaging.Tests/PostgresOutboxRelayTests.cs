using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrderX.Messaging.Outbox;
using OrderX.Testing;

namespace OrderX.Messaging.Tests;

/// <summary>The relay on a real PostgreSQL (scripts/infra.sh starts one), in a database of its own.</summary>
public sealed class PostgresOutboxRelayTests : OutboxRelayTests
{
    private readonly string _connectionString = $"{TestInfrastructure.PostgresServer};Database=orderx_test_relay_{TestInfrastructure.UniqueSuffix()}";

    protected override void ConfigureDatabase(DbContextOptionsBuilder options) => options.UseNpgsql(_connectionString);

    [Fact]
    public async Task Two_relays_on_one_database_publish_every_event_exactly_once()
    {
        // The rows of a process that died before publishing them: two others, past the hand-off grace, share them.
        var later = new ManualClock(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(1));
        await using var first = NewService(clock: later);
        await using var second = NewService(clock: later);
        await using var died = NewService();
        var ids = await CommitEventsAsync(died, 300);
        Transport.ConfirmDelay = TimeSpan.FromMilliseconds(2);

        async Task DrainAsync(IServiceProvider services)
        {
            var relay = services.GetRequiredService<OutboxRelay<TestDbContext>>();
            while (await relay.PublishPendingAsync(default) > 0) { }
        }
        await Task.WhenAll(Task.Run(() => DrainAsync(first)), Task.Run(() => DrainAsync(second)));

        var published = Transport.Published.Select(m => m.Id).ToList();
        Assert.Equal(ids.Count, published.Count);
        Assert.Equal(ids.ToHashSet(), published.ToHashSet());
        Assert.All(await RowsAsync(first), r => Assert.NotNull(r.SentAt));
    }

    public override Task DisposeAsync() => TestDatabases.DropAsync(new Npgsql.NpgsqlConnectionStringBuilder(_connectionString).Database!);
}
