using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using OrderX.ServiceDefaults;
using OrderX.ServiceData;

namespace OrderX.Payments.Data;

public sealed class SqlitePaymentsDbContext(DbContextOptions<SqlitePaymentsDbContext> options) : PaymentsDbContext(options);

public sealed class PostgresPaymentsDbContext(DbContextOptions<PostgresPaymentsDbContext> options) : PaymentsDbContext(options);

public sealed class SqlitePaymentsDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePaymentsDbContext>
{
    public SqlitePaymentsDbContext CreateDbContext(string[] args) => new(DesignTimeOptions.Sqlite<SqlitePaymentsDbContext>());
}

public sealed class PostgresPaymentsDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPaymentsDbContext>
{
    public PostgresPaymentsDbContext CreateDbContext(string[] args) => new(DesignTimeOptions.Postgres<PostgresPaymentsDbContext>());
}
