using Microsoft.EntityFrameworkCore;
using OrderX.Messaging;
using OrderX.ServiceData;

namespace OrderX.Notifications.Data;

/// <summary>The model; <see cref="SqliteNotificationsDbContext"/> and <see cref="PostgresNotificationsDbContext"/> carry each provider's migrations.</summary>
public class NotificationsDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<Notification> Notifications => Set<Notification>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Notification>(e =>
        {
            e.ToTable("notifications");
            e.Property(n => n.Email).HasMaxLength(254);
            e.Property(n => n.Kind).HasMaxLength(32);
            e.Property(n => n.Subject).HasMaxLength(300);
            // One notification of each kind per order, whatever the transport redelivers.
            e.HasIndex(n => new { n.OrderId, n.Kind }).IsUnique();
        });
        modelBuilder.AddOutboxAndInbox();
    }
}
