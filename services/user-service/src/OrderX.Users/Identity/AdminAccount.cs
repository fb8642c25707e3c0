using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OrderX.ServiceDefaults.Auth;
using OrderX.Users.Data;

namespace OrderX.Users.Identity;

/// <summary>
/// The first administrator, from <c>ORDERX_ADMIN_EMAIL</c> and <c>ORDERX_ADMIN_PASSWORD</c>. There is no default:
/// without both, OrderX has no admin. An existing account with that e-mail is made admin; its password is kept.
/// </summary>
public static class AdminAccount
{
    public const string EmailKey = "ORDERX_ADMIN_EMAIL";
    public const string PasswordKey = "ORDERX_ADMIN_PASSWORD";

    public static async Task SeedAsync(UsersDbContext db, string? configuredEmail, string? password, TimeProvider clock, CancellationToken cancellationToken)
    {
        var email = configuredEmail?.Trim();
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(password))
            return;
        if (PasswordPolicy.Check(password, email) is { } weak)
            throw new InvalidOperationException($"{PasswordKey} is refused: {weak}");
        var normalized = email.ToLowerInvariant();
        var existing = await db.Users.FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        if (existing is not null)
        {
            existing.Role = OrderXRoles.Admin;
            existing.PasswordHash ??= new PasswordHasher<UserAccount>().HashPassword(existing, password);
            return;
        }
        var admin = new UserAccount
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            NormalizedEmail = normalized,
            Name = "Administrator",
            Role = OrderXRoles.Admin,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        admin.PasswordHash = new PasswordHasher<UserAccount>().HashPassword(admin, password);
        db.Users.Add(admin);
    }
}
