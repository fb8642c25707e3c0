using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OrderX.ServiceDefaults.Auth;
using OrderX.Users.Data;

namespace OrderX.Users.Identity;

/// <summary>
/// The first administrator, from <c>ORDERX_ADMIN_EMAIL</c> and <c>ORDERX_ADMIN_PASSWORD</c>. There is no default:
/// without both, OrderX has no admin. An existing account with that e-mail is made admin; its password is kept,
/// unless <c>ORDERX_ADMIN_PASSWORD_ENFORCED=true</c> says the configured one is the admin's by definition (a local
/// run's generated password, which <c>scripts/start.sh</c> shows: it must sign in even against an older database).
/// </summary>
public static class AdminAccount
{
    public const string EmailKey = "ORDERX_ADMIN_EMAIL";
    public const string PasswordKey = "ORDERX_ADMIN_PASSWORD";
    public const string PasswordEnforcedKey = "ORDERX_ADMIN_PASSWORD_ENFORCED";

    public static async Task SeedAsync(UsersDbContext db, string? configuredEmail, string? password, bool passwordEnforced, TimeProvider clock, CancellationToken cancellationToken)
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
            var hasher = new PasswordHasher<UserAccount>();
            if (existing.PasswordHash is null
                || passwordEnforced && hasher.VerifyHashedPassword(existing, existing.PasswordHash, password) == PasswordVerificationResult.Failed)
                existing.PasswordHash = hasher.HashPassword(existing, password);
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
