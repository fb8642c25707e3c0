using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrderX.ServiceData;

/// <summary>
/// Applies the service's committed migrations before anything else starts (creating the database itself on
/// PostgreSQL), waiting for the server if it is not up yet, then runs the service's idempotent seed.
/// Replicas starting together are safe: EF Core holds a migration lock in the database while it migrates,
/// and a replica that loses the race to create the database retries and finds it there.
/// </summary>
public sealed partial class DatabaseInitializer<TContext>(
    IServiceScopeFactory scopes,
    DatabaseSettings settings,
    DatabaseSeed<TContext>? seed,
    ILogger<DatabaseInitializer<TContext>> logger) : IHostedService where TContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(500);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await InitializeAsync(cancellationToken);
                LogReady(settings.Describe());
                return;
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested && IsTransient(error))
            {
                LogWaiting(settings.Describe(), error.Message, delay.TotalSeconds, attempt);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        if (!settings.IsPostgres)
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(settings.ConnectionString).DataSource;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        }
        await db.Database.MigrateAsync(cancellationToken);
        if (!settings.IsPostgres)
        {
            // WAL lets the relay read while a handler writes; the setting is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        if (seed is not null)
        {
            await seed(db, scope.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    // Besides an outage, any database error is worth waiting out at start-up: the server may still be starting,
    // the login may not exist yet, or a sibling instance may be creating the same database right now.
    private static bool IsTransient(Exception error) =>
        DependencyFailures.Instance.IsTransient(error)
        || error is Npgsql.NpgsqlException or DbUpdateException
        || error.InnerException is Npgsql.NpgsqlException or System.Net.Sockets.SocketException;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Database ready: {Database}")]
    private partial void LogReady(string database);

    [LoggerMessage(LogLevel.Warning, "Waiting for the database {Database} ({Reason}); retrying in {DelaySeconds:F1} s (attempt {Attempt})")]
    private partial void LogWaiting(string database, string reason, double delaySeconds, int attempt);
}
