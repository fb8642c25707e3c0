using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using OrderX.ServiceDefaults;
using OrderX.ServiceData;

namespace OrderX.Notifications.Data;

public sealed class SqliteNotificationsDbContext(DbContextOptions<SqliteNotificationsDbContext> options) : NotificationsDbContext(options);

public sealed class PostgresNotificationsDbContext(DbContextOptions<PostgresNotificationsDbContext> options) : NotificationsDbContext(options);

public sealed class SqliteNotificationsDesignTimeFactory : IDesignTimeDbContextFactory<SqliteNotificationsDbContext>
{
    public SqliteNotificationsDbContext CreateDbContext(string[] args) => new(DesignTimeOptions.Sqlite<SqliteNotificationsDbContext>());
}

public sealed class PostgresNotificationsDesignTimeFactory : IDesignTimeDbContextFactory<PostgresNotificationsDbContext>
{
    public PostgresNotificationsDbContext CreateDbContext(string[] args) => new(DesignTimeOptions.Postgres<PostgresNotificationsDbContext>());
}
