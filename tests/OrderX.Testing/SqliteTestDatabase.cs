using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace OrderX.Testing;

/// <summary>
/// A private SQLite database that lives as long as this object; each context sees the same data. In memory by
/// default (one shared connection); <see cref="OnFile"/> gives each context its own connection, for tests of
/// concurrent writers.
/// </summary>
public sealed class SqliteTestDatabase<TContext> : IDisposable where TContext : DbContext
{
    private readonly SqliteConnection? _connection;
    private readonly string? _file;
    private readonly Func<DbContextOptions<TContext>, TContext> _create;

    public SqliteTestDatabase(Func<DbContextOptions<TContext>, TContext> create) : this(create, file: null)
    {
    }

    private SqliteTestDatabase(Func<DbContextOptions<TContext>, TContext> create, string? file)
    {
        _create = create;
        _file = file;
        if (file is null)
        {
            _connection = new SqliteConnection("DataSource=:memory:");
            _connection.Open();
        }
        using var db = NewContext();
        db.Database.EnsureCreated();
    }

    public static SqliteTestDatabase<TContext> OnFile(Func<DbContextOptions<TContext>, TContext> create) =>
        new(create, Path.Combine(Path.GetTempPath(), $"orderx-test-{Guid.NewGuid():N}.db"));

    public TContext NewContext()
    {
        var options = new DbContextOptionsBuilder<TContext>();
        if (_connection is not null)
            options.UseSqlite(_connection);
        else
            options.UseSqlite($"Data Source={_file}");
        return _create(options.Options);
    }

    public void Dispose()
    {
        _connection?.Dispose();
        if (_file is null)
            return;
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }
}
