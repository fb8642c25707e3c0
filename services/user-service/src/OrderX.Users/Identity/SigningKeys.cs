using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OrderX.ServiceDefaults.Auth;

namespace OrderX.Users.Identity;

/// <summary>
/// The issuer's signing key: <c>Auth:SigningKey</c> (PEM) when configured; otherwise generated on first start and
/// kept under the data folder (readable by the owner only), so that restarts keep issued tokens valid.
/// </summary>
public sealed partial class SigningKeys
{
    public SigningKeys(IOptions<AuthOptions> options, IConfiguration configuration, ILogger<SigningKeys> logger)
    {
        if (!string.IsNullOrWhiteSpace(options.Value.SigningKey))
        {
            Key = RsaKeys.FromPem(options.Value.SigningKey);
            return;
        }
        var path = Path.Combine(Path.GetFullPath(configuration["Data:Path"] ?? "data"), "keys", "token-signing-key.pem");
        Key = RsaKeys.FromPem(LoadOrCreate(path, logger));
    }

    public RsaSecurityKey Key { get; }

    public SigningCredentials Credentials => new(Key, SecurityAlgorithms.RsaSha256);

    /// <summary>The public half as a JSON Web Key, for the key set other services read.</summary>
    public JsonWebKey PublicJwk
    {
        get
        {
            var parameters = Key.Rsa.ExportParameters(includePrivateParameters: false);
            return new JsonWebKey
            {
                Kty = "RSA", Use = "sig", Alg = SecurityAlgorithms.RsaSha256, Kid = Key.KeyId,
                N = Base64UrlEncoder.Encode(parameters.Modulus), E = Base64UrlEncoder.Encode(parameters.Exponent),
            };
        }
    }

    private static string LoadOrCreate(string path, ILogger logger)
    {
        if (File.Exists(path))
            return File.ReadAllText(path);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportPkcs8PrivateKeyPem();
        // Written under a temporary name and moved: a concurrent first start never reads half a key.
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, pem);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
            return File.ReadAllText(path);
        }
        LogGenerated(logger, path);
        return pem;
    }

    [LoggerMessage(LogLevel.Warning, "No Auth:SigningKey configured: generated a token signing key at {Path}. Configure one when running more than one user-service instance.")]
    private static partial void LogGenerated(ILogger logger, string path);
}
