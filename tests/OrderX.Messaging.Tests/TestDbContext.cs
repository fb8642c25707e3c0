using Microsoft.EntityFrameworkCore;
using OrderX.ServiceData;

namespace OrderX.Messaging.Tests;

/// <summary>A service's database reduced to what messaging needs: outbox, inbox and one table a handler changes.</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : ServiceDbContext(options)
{
    public DbSet<Effect> Effects => Set<Effect>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Effect>().ToTable("effects");
        modelBuilder.AddOutboxAndInbox();
    }
}

public sealed class Effect
{
    public long Id { get; set; }
    public Guid MessageId { get; set; }
}
