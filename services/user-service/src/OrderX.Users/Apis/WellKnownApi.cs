using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using OrderX.ServiceDefaults.Auth;
using OrderX.Users.Identity;

namespace OrderX.Users.Apis;

/// <summary>
/// The issuer's discovery document and public keys (OpenID Connect discovery and JWKS formats), which the
/// other services and the gateway read to check tokens without sharing a secret.
/// </summary>
public static class WellKnownApi
{
    public static IEndpointRouteBuilder MapWellKnownApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/openid-configuration", (HttpContext context, IOptions<AuthOptions> options) => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = options.Value.Issuer,
            ["jwks_uri"] = $"{context.Request.Scheme}://{context.Request.Host}/.well-known/jwks.json",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/.well-known/jwks.json", (SigningKeys keys) => Results.Json(new { keys = new[] { keys.PublicJwk } }));
        return app;
    }
}
