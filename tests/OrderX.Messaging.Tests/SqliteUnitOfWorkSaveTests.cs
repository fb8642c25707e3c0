using Microsoft.EntityFrameworkCore;

namespace OrderX.Messaging.Tests;

public sealed class SqliteUnitOfWorkSaveTests : UnitOfWorkSaveTests
{
    private readonly SqliteTestFile _database = new("unitofwork");

    protected override void ConfigureDatabase(DbContextOptionsBuilder options) => options.UseSqlite(_database.ConnectionString);

    public override Task DisposeAsync() => _database.DeleteAsync();
}
