using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Configuration;
using OrderX.ServiceDefaults;

namespace OrderX.ServiceData;

/// <summary>
/// Which database a service uses. <c>Database:Provider</c> is <c>sqlite</c> (default: a file per service under
/// <c>Data:Path</c>) or <c>postgres</c> (one database per service, <c>Database:NamePrefix</c> + the service name,
/// on the server of <c>ConnectionStrings:Postgres</c>). <c>ConnectionStrings:&lt;service&gt;</c> overrides both.
/// </summary>
public sealed record DatabaseSettings(string Provider, string ConnectionString)
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    /// <summary>
    /// The local server, over loopback without TLS: Npgsql's default (use TLS when the server offers it; Debian's
    /// does) encrypted every round trip to the same machine, a few per cent of the machine's CPU under load for
    /// nothing. A server elsewhere gets its own connection string, with <c>SSL Mode=Require</c> or stricter.
    /// </summary>
    public const string DefaultPostgres = "Host=localhost;Port=5432;Username=orderx;Password=orderx;SSL Mode=Disable";

    public bool IsPostgres => Provider == Postgres;

    /// <summary>One per process and database, so each pooled SQLite connection is set up once.</summary>
    public SqliteConnectionPragmas SqlitePragmas { get; init; } = new("NORMAL");

    private static string SqliteSynchronous(IConfiguration configuration)
    {
        var level = (configuration["Database:SqliteSynchronous"] ?? "NORMAL").Trim().ToUpperInvariant();
        return level is "NORMAL" or "FULL" or "EXTRA"
            ? level
            : throw new InvalidOperationException($"Database:SqliteSynchronous '{level}' is not supported; use NORMAL, FULL or EXTRA.");
    }

    public static DatabaseSettings For(IConfiguration configuration, OrderXService service)
    {
        var provider = (configuration["Database:Provider"] ?? Sqlite).Trim().ToLowerInvariant();
        var explicitConnection = configuration.GetConnectionString(service.Name);
        switch (provider)
        {
            case Sqlite:
                var dataPath = Path.GetFullPath(configuration["Data:Path"] ?? "data");
                return new(Sqlite, explicitConnection ?? $"Data Source={Path.Combine(dataPath, service.Name + ".db")};Default Timeout=30")
                {
                    SqlitePragmas = new SqliteConnectionPragmas(SqliteSynchronous(configuration)),
                };
            case Postgres or "postgresql" or "npgsql":
                var given = explicitConnection ?? configuration.GetConnectionString("Postgres") ?? DefaultPostgres;
                var builder = new Npgsql.NpgsqlConnectionStringBuilder(given);
                if (explicitConnection is null)
                    builder.Database = (configuration["Database:NamePrefix"] ?? "orderx_") + service.Name;
                // Npgsql's default of 100 per process lets a handful of OrderX processes exhaust a server's
                // connection slots under load; a bounded pool makes requests wait for a connection instead.
                if (!given.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase))
                    builder.MaxPoolSize = configuration.GetValue("Database:MaxPoolSize", 20);
                // OrderX never changes session state, so resetting it (DISCARD ALL) on every checkout is a wasted
                // statement and, in pg_stat_database, a transaction per connection use.
                if (!given.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase))
                    builder.NoResetOnClose = true;
                // The same few dozen statements run for every order: prepared once per connection, PostgreSQL
                // skips parsing and planning them, which was most of its CPU under load (bench/README).
                if (!given.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase))
                    builder.MaxAutoPrepare = configuration.GetValue("Database:MaxAutoPrepare", 64);
                return new(Postgres, builder.ConnectionString);
            default:
                throw new InvalidOperationException($"Database:Provider '{provider}' is not supported; use '{Sqlite}' or '{Postgres}'.");
        }
    }

    public void Configure(DbContextOptionsBuilder options)
    {
        if (IsPostgres)
            options.UseNpgsql(ConnectionString);
        else
            options.UseSqlite(ConnectionString).AddInterceptors(SqlitePragmas);
        // Every failure EF Core reports at these events also reaches OrderX's code as an exception, which decides
        // whether it is an error: a lost race on a unique key (a replayed Idempotency-Key, a duplicate delivery) or
        // a database still starting is an expected outcome, answered or retried as designed, never a "fail" line.
        options.ConfigureWarnings(w => w.Log(
            (RelationalEventId.CommandError, LogLevel.Debug),
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (RelationalEventId.ConnectionError, LogLevel.Debug)));
    }

    /// <summary>Server and database, never the password, for log lines.</summary>
    public string Describe()
    {
        if (!IsPostgres)
            return $"SQLite {new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource}";
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}";
    }
}
