using Microsoft.EntityFrameworkCore;
using OrderX.Messaging;
using OrderX.ServiceData;
using OrderX.Orders.Domain;
using OrderX.Orders.Idempotency;

namespace OrderX.Orders.Data;

/// <summary>The model; <see cref="SqliteOrdersDbContext"/> and <see cref="PostgresOrdersDbContext"/> carry each provider's migrations.</summary>
public class OrdersDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Order>(e =>
        {
            e.ToTable("orders");
            e.Property(o => o.CustomerEmail).HasMaxLength(254);
            e.Property(o => o.Status).HasMaxLength(32);
            e.Property(o => o.StatusReason).HasMaxLength(1000);
            e.Property(o => o.CancelReason).HasMaxLength(32);
            e.Property(o => o.PaymentStatus).HasMaxLength(32);
            e.Property(o => o.StockStatus).HasMaxLength(32);
            e.Property(o => o.Total).HasPrecision(18, 2);
            e.Property(o => o.Currency).HasMaxLength(3);
            e.Property(o => o.Version).IsConcurrencyToken();
            e.HasIndex(o => new { o.UserId, o.CreatedAt });
            // The timeout's scan: pending orders, oldest first.
            e.HasIndex(o => new { o.Status, o.CreatedAt });
            e.HasMany(o => o.History).WithOne().HasForeignKey(h => h.OrderId);
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
        modelBuilder.Entity<OrderHistoryEntry>(e =>
        {
            e.ToTable("order_history");
            e.Property(h => h.Status).HasMaxLength(32);
            e.Property(h => h.Cause).HasMaxLength(64);
            e.Property(h => h.Detail).HasMaxLength(2000);
            e.HasIndex(h => h.OrderId);
        });
        modelBuilder.Entity<IdempotencyRecord>(e =>
        {
            e.ToTable("idempotency_keys");
            e.HasKey(r => new { r.UserId, r.Key });
            e.Property(r => r.Key).HasMaxLength(IdempotencyRecord.MaxKeyLength);
            e.Property(r => r.RequestHash).HasMaxLength(64);
            e.Property(r => r.ResponseLocation).HasMaxLength(200);
            e.Property(r => r.ResponseBody).HasMaxLength(4000);
            e.HasIndex(r => r.ExpiresAt);
        });
        modelBuilder.AddOutboxAndInbox();
    }
}
