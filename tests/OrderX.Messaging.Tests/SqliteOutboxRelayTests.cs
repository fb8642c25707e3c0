using Microsoft.EntityFrameworkCore;

namespace OrderX.Messaging.Tests;

public sealed class SqliteOutboxRelayTests : OutboxRelayTests
{
    private readonly SqliteTestFile _database = new("relay");

    protected override void ConfigureDatabase(DbContextOptionsBuilder options) => options.UseSqlite(_database.ConnectionString);

    public override Task DisposeAsync() => _database.DeleteAsync();
}
