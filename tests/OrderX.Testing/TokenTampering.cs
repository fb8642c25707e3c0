using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace OrderX.Testing;

public static class TokenTampering
{
    /// <summary>The token with one claim changed and the original signature kept: a forgery any checker must refuse.</summary>
    public static string WithClaim(string token, string claim, string value)
    {
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64UrlEncoder.DecodeBytes(parts[1]))!;
        payload[claim] = JsonSerializer.SerializeToElement(value);
        parts[1] = Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(payload));
        return string.Join('.', parts);
    }
}
