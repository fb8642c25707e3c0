using Microsoft.EntityFrameworkCore;
using OrderX.Messaging;

namespace OrderX.Products.Data;

/// <summary>The model; <see cref="SqliteProductsDbContext"/> and <see cref="PostgresProductsDbContext"/> carry each provider's migrations.</summary>
public class ProductsDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<Product> Products => Set<Product>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Product>(e =>
        {
            e.ToTable("products");
            e.Property(p => p.Name).HasMaxLength(200);
            e.Property(p => p.Description).HasMaxLength(2000);
            e.Property(p => p.Price).HasPrecision(18, 2);
            e.Property(p => p.Currency).HasMaxLength(3);
        });
    }
}
