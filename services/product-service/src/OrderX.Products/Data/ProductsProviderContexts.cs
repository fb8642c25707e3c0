using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using OrderX.ServiceDefaults;
using OrderX.ServiceData;

namespace OrderX.Products.Data;

public sealed class SqliteProductsDbContext(DbContextOptions<SqliteProductsDbContext> options) : ProductsDbContext(options);

public sealed class PostgresProductsDbContext(DbContextOptions<PostgresProductsDbContext> options) : ProductsDbContext(options);

public sealed class SqliteProductsDesignTimeFactory : IDesignTimeDbContextFactory<SqliteProductsDbContext>
{
    public SqliteProductsDbContext CreateDbContext(string[] args) => new(DesignTimeOptions.Sqlite<SqliteProductsDbContext>());
}

public sealed class PostgresProductsDesignTimeFactory : IDesignTimeDbContextFactory<PostgresProductsDbContext>
{
    public PostgresProductsDbContext CreateDbContext(string[] args) => new(DesignTimeOptions.Postgres<PostgresProductsDbContext>());
}
