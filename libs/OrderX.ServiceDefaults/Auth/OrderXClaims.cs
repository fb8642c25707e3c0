using System.Security.Claims;

namespace OrderX.ServiceDefaults.Auth;

/// <summary>The claims OrderX tokens carry (JWT names, not mapped to the long WS-* URIs) and how to read them.</summary>
public static class OrderXClaims
{
    public const string Subject = "sub";
    public const string Email = "email";
    public const string Name = "name";
    public const string Role = "role";

    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(Subject), out var id) ? id : throw new InvalidOperationException("The token has no user id.");

    public static string EmailAddress(this ClaimsPrincipal user) =>
        user.FindFirstValue(Email) ?? throw new InvalidOperationException("The token has no e-mail.");

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(OrderXRoles.Admin);

    /// <summary>Admins see everything; a customer only what is theirs.</summary>
    public static bool MaySee(this ClaimsPrincipal user, Guid ownerId) => user.IsAdmin() || user.UserId() == ownerId;
}
