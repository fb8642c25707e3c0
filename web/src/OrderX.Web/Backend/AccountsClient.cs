namespace OrderX.Web.Backend;

/// <summary>The user service's accounts: register, sign in, refresh and sign out.</summary>
public sealed class AccountsClient(HttpClient http)
{
    public Task<ApiResult<object>> RegisterAsync(string email, string name, string password, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<object>(http, ApiCalls.Json(HttpMethod.Post, "/api/users/register", new { email, name, password }), null, cancellationToken);

    public Task<ApiResult<TokenPair>> LoginAsync(string email, string password, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<TokenPair>(http, ApiCalls.Json(HttpMethod.Post, "/api/users/login", new { email, password }), null, cancellationToken);

    public Task<ApiResult<TokenPair>> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<TokenPair>(http, ApiCalls.Json(HttpMethod.Post, "/api/users/refresh", new { refreshToken }), null, cancellationToken);

    public Task<ApiResult<object>> LogoutAsync(string refreshToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<object>(http, ApiCalls.Json(HttpMethod.Post, "/api/users/logout", new { refreshToken }), null, cancellationToken);
}
