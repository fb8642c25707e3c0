using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.JsonWebTokens;
using OrderX.ServiceDefaults.Auth;

namespace OrderX.Web.Backend;

/// <summary>
/// The customer's tokens live in the session cookie (encrypted, HttpOnly): page scripts never see them, from this
/// origin or any other. The claims shown on the pages are read from the access token the user service just issued
/// to this server; the services check its signature on every call.
/// </summary>
public static class SessionTokens
{
    public const string Scheme = "orderx-web";
    private const string Access = "access_token";
    private const string Refresh = "refresh_token";
    private const string ExpiresAt = "expires_at";

    public static ClaimsPrincipal Principal(TokenPair pair)
    {
        var token = new JsonWebToken(pair.AccessToken);
        var claims = token.Claims.Where(c => c.Type is OrderXClaims.Subject or OrderXClaims.Email or OrderXClaims.Name or OrderXClaims.Role)
            .Select(c => new Claim(c.Type, c.Value));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, OrderXClaims.Email, OrderXClaims.Role));
    }

    public static AuthenticationProperties Properties(TokenPair pair, DateTimeOffset now)
    {
        var properties = new AuthenticationProperties { IsPersistent = true };
        Store(properties, pair, now);
        return properties;
    }

    public static void Store(AuthenticationProperties properties, TokenPair pair, DateTimeOffset now) => properties.StoreTokens(
    [
        new AuthenticationToken { Name = Access, Value = pair.AccessToken },
        new AuthenticationToken { Name = Refresh, Value = pair.RefreshToken },
        new AuthenticationToken { Name = ExpiresAt, Value = now.AddSeconds(pair.ExpiresIn).ToString("o", CultureInfo.InvariantCulture) },
    ]);

    public static string? AccessToken(AuthenticationProperties properties) => properties.GetTokenValue(Access);

    public static string? RefreshToken(AuthenticationProperties properties) => properties.GetTokenValue(Refresh);

    public static DateTimeOffset? AccessExpiresAt(AuthenticationProperties properties) =>
        DateTimeOffset.TryParse(properties.GetTokenValue(ExpiresAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
}
