using Microsoft.EntityFrameworkCore;

namespace OrderX.Messaging.Tests;

public sealed class SqliteUnitOfWorkSaveTests : UnitOfWorkSaveTests
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"orderx-unitofwork-{Guid.NewGuid():N}.db");

    protected override void ConfigureDatabase(DbContextOptionsBuilder options) => options.UseSqlite($"Data Source={_file}");

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _file, _file + "-wal", _file + "-shm" })
            File.Delete(file);
        return Task.CompletedTask;
    }
}
