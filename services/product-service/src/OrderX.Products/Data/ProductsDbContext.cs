using Microsoft.EntityFrameworkCore;
using OrderX.Messaging;
using OrderX.Products.Stock;
using OrderX.ServiceData;

namespace OrderX.Products.Data;

/// <summary>The model; <see cref="SqliteProductsDbContext"/> and <see cref="PostgresProductsDbContext"/> carry each provider's migrations.</summary>
public class ProductsDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<Product> Products => Set<Product>();
    public DbSet<StockReservation> Reservations => Set<StockReservation>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Product>(e =>
        {
            // The PostgreSQL migration adds CHECK (0 <= reserved <= stock) as a second wall; on SQLite adding it would
            // rebuild the table outside a transaction, so there the conditional updates are the only guard.
            e.ToTable("products");
            e.Property(p => p.Name).HasMaxLength(200);
            e.Property(p => p.Description).HasMaxLength(2000);
            e.Property(p => p.Price).HasPrecision(18, 2);
            e.Property(p => p.Currency).HasMaxLength(3);
            e.Property(p => p.Version).IsConcurrencyToken();
            e.Ignore(p => p.Available);
            e.HasIndex(p => p.Name);
        });
        modelBuilder.Entity<StockReservation>(e =>
        {
            e.ToTable("stock_reservations");
            e.HasKey(r => r.OrderId);
            e.Property(r => r.Status).HasMaxLength(16);
            e.HasMany(r => r.Lines).WithOne().HasForeignKey(l => l.OrderId);
            e.Navigation(r => r.Lines).AutoInclude();
        });
        modelBuilder.Entity<StockReservationLine>(e =>
        {
            e.ToTable("stock_reservation_lines");
            e.HasKey(l => new { l.OrderId, l.ProductId });
        });
        modelBuilder.AddOutboxAndInbox();
    }
}
