using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using OrderX.Testing;

namespace OrderX.ServiceData.Tests;

/// <summary>
/// A unique-key violation the caller catches and handles (a replayed Idempotency-Key, a duplicate delivery) is an
/// expected outcome: EF Core must not log it as an error or a warning of its own.
/// </summary>
public sealed class ExpectedDatabaseFailureLogTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"orderx-log-test-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task A_caught_unique_key_violation_leaves_no_warning_or_error_line()
    {
        var recorder = new RecordingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(recorder));
        var settings = new DatabaseSettings(DatabaseSettings.Sqlite, $"Data Source={_file}");
        KeyedContext NewContext()
        {
            var options = new DbContextOptionsBuilder<KeyedContext>().UseLoggerFactory(loggers);
            settings.Configure(options);
            return new KeyedContext(options.Options);
        }
        await using (var db = NewContext())
        {
            await db.Database.EnsureCreatedAsync();
            db.Keys.Add(new KeyRow { Key = "once" });
            await db.SaveChangesAsync();
        }

        await using (var db = NewContext())
        {
            db.Keys.Add(new KeyRow { Key = "once" });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }

        Assert.Contains(recorder.Entries, l => l.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        Assert.DoesNotContain(recorder.Entries, l => l.Level >= LogLevel.Warning);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    private sealed class KeyedContext(DbContextOptions<KeyedContext> options) : ServiceDbContext(options)
    {
        public DbSet<KeyRow> Keys => Set<KeyRow>();

        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<KeyRow>().HasKey(k => k.Key);
    }

    private sealed class KeyRow
    {
        public required string Key { get; set; }
    }
}
