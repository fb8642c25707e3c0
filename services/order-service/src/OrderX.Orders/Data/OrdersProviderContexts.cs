using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using OrderX.ServiceDefaults;
using OrderX.ServiceData;

namespace OrderX.Orders.Data;

public sealed class SqliteOrdersDbContext(DbContextOptions<SqliteOrdersDbContext> options) : OrdersDbContext(options);

public sealed class PostgresOrdersDbContext(DbContextOptions<PostgresOrdersDbContext> options) : OrdersDbContext(options);

public sealed class SqliteOrdersDesignTimeFactory : IDesignTimeDbContextFactory<SqliteOrdersDbContext>
{
    public SqliteOrdersDbContext CreateDbContext(string[] args) => new(DesignTimeOptions.Sqlite<SqliteOrdersDbContext>());
}

public sealed class PostgresOrdersDesignTimeFactory : IDesignTimeDbContextFactory<PostgresOrdersDbContext>
{
    public PostgresOrdersDbContext CreateDbContext(string[] args) => new(DesignTimeOptions.Postgres<PostgresOrdersDbContext>());
}
