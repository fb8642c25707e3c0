namespace OrderX.Messaging.Tests;

/// <summary>A SQLite database file of a test's own, deleted with its WAL files once the test is done.</summary>
public sealed class SqliteTestFile(string name)
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"orderx-{name}-{Guid.NewGuid():N}.db");

    public string ConnectionString => $"Data Source={_path}";

    public Task DeleteAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
            File.Delete(file);
        return Task.CompletedTask;
    }
}
