using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace OrderX.ServiceDefaults.Auth;

public static class RsaKeys
{
    /// <summary>An RSA key from PEM (private or public), with a key id derived from its public part.</summary>
    public static RsaSecurityKey FromPem(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return new RsaSecurityKey(rsa) { KeyId = KeyIdOf(rsa) };
    }

    // The key id is a digest of the modulus: the same key has the same id on every instance and after restarts.
    private static string KeyIdOf(RSA rsa)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return Base64UrlEncoder.Encode(SHA256.HashData(parameters.Modulus!))[..16];
    }
}
