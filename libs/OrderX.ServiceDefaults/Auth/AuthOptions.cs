namespace OrderX.ServiceDefaults.Auth;

/// <summary>How tokens are issued (user service) and checked (every service and the gateway).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public string Issuer { get; set; } = "orderx";
    public string Audience { get; set; } = "orderx-api";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The issuer's RSA private key (PEM), user service only. Without it the user service generates one on first
    /// start and keeps it under the data folder; set it when more than one user-service instance runs.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// The issuer's RSA public key (PEM) for the services that check tokens. Without it they read the user
    /// service's published keys (<c>/.well-known/jwks.json</c>), which follows a key rotation by itself.
    /// </summary>
    public string? ValidationKey { get; set; }

    /// <summary>Whether the user service's key document must be fetched over HTTPS.</summary>
    public bool RequireHttpsMetadata { get; set; }
}
