using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace OrderX.Testing;

/// <summary>A private in-memory SQLite database that lives as long as this object; each context sees the same data.</summary>
public sealed class SqliteTestDatabase<TContext> : IDisposable where TContext : DbContext
{
    private readonly SqliteConnection _connection = new("DataSource=:memory:");
    private readonly Func<DbContextOptions<TContext>, TContext> _create;

    public SqliteTestDatabase(Func<DbContextOptions<TContext>, TContext> create)
    {
        _create = create;
        _connection.Open();
        using var db = NewContext();
        db.Database.EnsureCreated();
    }

    public TContext NewContext() => _create(new DbContextOptionsBuilder<TContext>().UseSqlite(_connection).Options);

    public void Dispose() => _connection.Dispose();
}
