using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrderX.ServiceDefaults.Auth;

namespace OrderX.Testing;

/// <summary>Access tokens as the user service issues them, each part bendable to make a bad one.</summary>
public static class TestTokens
{
    public const string Issuer = "orderx";
    public const string Audience = "orderx-api";

    public static string Mint(SecurityKey key, string role = OrderXRoles.Customer, Guid? subject = null, string audience = Audience,
        TimeSpan? lifetime = null, string issuer = Issuer)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromMinutes(5));
        var issuedAt = expires < now ? expires.AddMinutes(-1) : now;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = expires,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
            Subject = new ClaimsIdentity(
            [
                new Claim(OrderXClaims.Subject, (subject ?? Guid.NewGuid()).ToString()),
                new Claim(OrderXClaims.Email, "someone@example.com"),
                new Claim(OrderXClaims.Role, role),
            ]),
        });
    }
}
