using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using OrderX.ServiceDefaults;
using OrderX.ServiceData;

namespace OrderX.Users.Data;

public sealed class SqliteUsersDbContext(DbContextOptions<SqliteUsersDbContext> options) : UsersDbContext(options);

public sealed class PostgresUsersDbContext(DbContextOptions<PostgresUsersDbContext> options) : UsersDbContext(options);

public sealed class SqliteUsersDesignTimeFactory : IDesignTimeDbContextFactory<SqliteUsersDbContext>
{
    public SqliteUsersDbContext CreateDbContext(string[] args) => new(DesignTimeOptions.Sqlite<SqliteUsersDbContext>());
}

public sealed class PostgresUsersDesignTimeFactory : IDesignTimeDbContextFactory<PostgresUsersDbContext>
{
    public PostgresUsersDbContext CreateDbContext(string[] args) => new(DesignTimeOptions.Postgres<PostgresUsersDbContext>());
}
