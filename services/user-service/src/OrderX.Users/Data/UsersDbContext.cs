using Microsoft.EntityFrameworkCore;
using OrderX.Messaging;

namespace OrderX.Users.Data;

/// <summary>The model; <see cref="SqliteUsersDbContext"/> and <see cref="PostgresUsersDbContext"/> carry each provider's migrations.</summary>
public class UsersDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<UserAccount> Users => Set<UserAccount>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserAccount>(e =>
        {
            e.ToTable("users");
            e.Property(u => u.Email).HasMaxLength(254);
            e.Property(u => u.NormalizedEmail).HasMaxLength(254);
            e.Property(u => u.Name).HasMaxLength(200);
            e.HasIndex(u => u.NormalizedEmail).IsUnique();
        });
    }
}
