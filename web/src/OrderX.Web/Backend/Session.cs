using Microsoft.AspNetCore.Authentication;

namespace OrderX.Web.Backend;

public static class Session
{
    /// <summary>The signed-in customer's access token, renewed by the cookie's validation if it was about to expire.</summary>
    public static async Task<string> AccessTokenAsync(HttpContext context) =>
        SessionTokens.AccessToken((await context.AuthenticateAsync(SessionTokens.Scheme)).Properties!)
        ?? throw new InvalidOperationException("The session has no access token.");
}
