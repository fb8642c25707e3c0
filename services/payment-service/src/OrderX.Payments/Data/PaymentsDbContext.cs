using Microsoft.EntityFrameworkCore;
using OrderX.Messaging;
using OrderX.Payments.Domain;
using OrderX.ServiceData;

namespace OrderX.Payments.Data;

/// <summary>The model; <see cref="SqlitePaymentsDbContext"/> and <see cref="PostgresPaymentsDbContext"/> carry each provider's migrations.</summary>
public class PaymentsDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<Payment> Payments => Set<Payment>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Payment>(e =>
        {
            e.ToTable("payments");
            e.Property(p => p.Amount).HasPrecision(18, 2);
            e.Property(p => p.Currency).HasMaxLength(3);
            e.Property(p => p.Status).HasMaxLength(32);
            e.Property(p => p.Reason).HasMaxLength(500);
            e.Property(p => p.RefundReason).HasMaxLength(500);
            // A concurrent refund and anything else touching the payment cannot both win.
            e.Property(p => p.Status).IsConcurrencyToken();
            e.HasIndex(p => p.OrderId).IsUnique();
            e.HasIndex(p => p.UserId);
        });
        modelBuilder.AddOutboxAndInbox();
    }
}
