using Microsoft.EntityFrameworkCore;

namespace OrderX.Users.Data;

/// <summary>A customer that exists from the first start, so the README's first order works without set-up.</summary>
public static class DemoUsers
{
    public static readonly Guid DemoCustomerId = Guid.Parse("0b0e7a1e-0000-4000-8000-000000000001");

    public static async Task SeedAsync(UsersDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(u => u.Id == DemoCustomerId, cancellationToken))
            return;
        db.Users.Add(new UserAccount
        {
            Id = DemoCustomerId,
            Email = "demo@orderx.local",
            NormalizedEmail = "demo@orderx.local",
            Name = "Demo Customer",
            CreatedAt = DateTime.UtcNow,
        });
    }
}
