using Microsoft.EntityFrameworkCore;

namespace OrderX.ServiceData;

/// <summary>
/// Options for `dotnet ef migrations add`: it needs a provider, never a live database. Each service keeps one
/// migration set per provider, on a context type of its own (SqliteXDbContext, PostgresXDbContext).
/// </summary>
public static class DesignTimeOptions
{
    public static DbContextOptions<TContext> Sqlite<TContext>() where TContext : DbContext =>
        new DbContextOptionsBuilder<TContext>().UseSqlite("Data Source=design-time.db").Options;

    public static DbContextOptions<TContext> Postgres<TContext>() where TContext : DbContext =>
        new DbContextOptionsBuilder<TContext>().UseNpgsql(DatabaseSettings.DefaultPostgres + ";Database=design_time").Options;
}
