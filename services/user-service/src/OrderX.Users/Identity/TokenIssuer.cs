using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OrderX.ServiceDefaults.Auth;
using OrderX.Users.Data;

namespace OrderX.Users.Identity;

public sealed record TokenPair(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken, int RefreshExpiresIn);

/// <summary>Signs short-lived access tokens and keeps rotating refresh tokens (only their digests are stored).</summary>
public sealed class TokenIssuer(UsersDbContext db, SigningKeys keys, IOptions<AuthOptions> options, TimeProvider clock)
{
    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>A new sign-in: a new refresh-token family. The caller saves.</summary>
    public TokenPair Issue(UserAccount user) => Issue(user, Guid.CreateVersion7());

    /// <summary>
    /// Trades a refresh token for a new pair. Null when the token is unknown, expired or revoked; a token used
    /// before is taken as stolen and its whole family is revoked. The caller saves.
    /// </summary>
    public async Task<(TokenPair? Tokens, bool ReuseDetected)> RefreshAsync(string presented, CancellationToken cancellationToken)
    {
        var now = Now;
        var token = await db.RefreshTokens.FirstOrDefaultAsync(t => t.TokenHash == Digest(presented), cancellationToken);
        if (token is null || token.RevokedAt is not null || token.ExpiresAt <= now)
            return (null, false);
        if (token.UsedAt is not null)
        {
            await RevokeFamilyAsync(token.FamilyId, cancellationToken);
            return (null, true);
        }
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == token.UserId, cancellationToken);
        if (user is null)
            return (null, false);
        token.UsedAt = now;
        return (Issue(user, token.FamilyId), false);
    }

    /// <summary>Revokes the family of <paramref name="presented"/> (sign-out everywhere that token's chain reached).</summary>
    public async Task RevokeAsync(string presented, CancellationToken cancellationToken)
    {
        var token = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == Digest(presented), cancellationToken);
        if (token is not null)
            await RevokeFamilyAsync(token.FamilyId, cancellationToken);
    }

    private TokenPair Issue(UserAccount user, Guid familyId)
    {
        var settings = options.Value;
        var now = Now;
        var access = Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + settings.AccessTokenLifetime,
            SigningCredentials = keys.Credentials,
            Subject = new ClaimsIdentity(
            [
                new Claim(OrderXClaims.Subject, user.Id.ToString()),
                new Claim(OrderXClaims.Email, user.Email),
                new Claim(OrderXClaims.Name, user.Name),
                new Claim(OrderXClaims.Role, user.Role),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            ]),
        });
        var refresh = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        db.RefreshTokens.Add(new RefreshToken
        {
            Id = Guid.CreateVersion7(),
            UserId = user.Id,
            FamilyId = familyId,
            TokenHash = Digest(refresh),
            CreatedAt = now,
            ExpiresAt = now + settings.RefreshTokenLifetime,
        });
        return new TokenPair(access, "Bearer", (int)settings.AccessTokenLifetime.TotalSeconds, refresh, (int)settings.RefreshTokenLifetime.TotalSeconds);
    }

    private Task<int> RevokeFamilyAsync(Guid familyId, CancellationToken cancellationToken)
    {
        var now = Now;
        return db.RefreshTokens.Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken);
    }

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private static string Digest(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
