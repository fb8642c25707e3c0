using Microsoft.EntityFrameworkCore;
using OrderX.Messaging;
using OrderX.Orders.Domain;

namespace OrderX.Orders.Data;

/// <summary>The model; <see cref="SqliteOrdersDbContext"/> and <see cref="PostgresOrdersDbContext"/> carry each provider's migrations.</summary>
public class OrdersDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Order>(e =>
        {
            e.ToTable("orders");
            e.Property(o => o.CustomerEmail).HasMaxLength(254);
            e.Property(o => o.Status).HasMaxLength(32);
            e.Property(o => o.StatusReason).HasMaxLength(500);
            e.Property(o => o.Total).HasPrecision(18, 2);
            e.Property(o => o.Currency).HasMaxLength(3);
            e.Property(o => o.Version).IsConcurrencyToken();
            e.HasIndex(o => new { o.UserId, o.CreatedAt });
            e.HasMany(o => o.Items).WithOne().HasForeignKey(i => i.OrderId);
            e.Navigation(o => o.Items).AutoInclude();
        });
        modelBuilder.Entity<OrderItem>(e =>
        {
            e.ToTable("order_items");
            e.Property(i => i.ProductName).HasMaxLength(200);
            e.Property(i => i.UnitPrice).HasPrecision(18, 2);
            e.Ignore(i => i.LineTotal);
        });
        modelBuilder.AddOutboxAndInbox();
    }
}
