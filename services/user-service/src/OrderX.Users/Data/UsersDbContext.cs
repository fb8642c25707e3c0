using Microsoft.EntityFrameworkCore;
using OrderX.Messaging;
using OrderX.ServiceData;

namespace OrderX.Users.Data;

/// <summary>The model; <see cref="SqliteUsersDbContext"/> and <see cref="PostgresUsersDbContext"/> carry each provider's migrations.</summary>
public class UsersDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<UserAccount> Users => Set<UserAccount>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<LoginThrottle> LoginThrottles => Set<LoginThrottle>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<UserAccount>(e =>
        {
            e.ToTable("users");
            e.Property(u => u.Email).HasMaxLength(254);
            e.Property(u => u.NormalizedEmail).HasMaxLength(254);
            e.Property(u => u.Name).HasMaxLength(200);
            e.Property(u => u.PasswordHash).HasMaxLength(200);
            e.Property(u => u.Role).HasMaxLength(16).HasDefaultValue("customer");
            e.HasIndex(u => u.NormalizedEmail).IsUnique();
        });
        modelBuilder.Entity<RefreshToken>(e =>
        {
            e.ToTable("refresh_tokens");
            e.Property(t => t.TokenHash).HasMaxLength(64);
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.HasIndex(t => t.FamilyId);
            e.HasIndex(t => t.ExpiresAt);
            // Two refreshes racing with one token: only one may spend it.
            e.Property(t => t.UsedAt).IsConcurrencyToken();
        });
        modelBuilder.Entity<LoginThrottle>(e =>
        {
            e.ToTable("login_throttles");
            e.HasKey(t => t.Key);
            e.Property(t => t.Key).HasMaxLength(300);
        });
    }
}
