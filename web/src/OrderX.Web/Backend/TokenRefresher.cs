using Microsoft.AspNetCore.Authentication;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace OrderX.Web.Backend;

/// <summary>
/// Renews the session's access token before it expires, when a request of that session arrives. A refresh token is
/// spent by its first use and a second use revokes the session (the user service's reuse detection), so requests
/// of one session arriving together (a page and its event stream) share one refresh: its answer is kept for a
/// minute under the spent token.
/// </summary>
public sealed partial class TokenRefresher(IServiceScopeFactory scopes, TimeProvider clock, ILogger<TokenRefresher> logger)
{
    /// <summary>How long before its expiry an access token is renewed.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Shared = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (Task<ApiResult<TokenPair>> Refresh, DateTimeOffset Until)> _recent = new();

    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var now = clock.GetUtcNow();
        if (SessionTokens.AccessExpiresAt(context.Properties) is { } expiresAt && expiresAt - Margin > now)
            return;
        if (SessionTokens.RefreshToken(context.Properties) is not { } refreshToken)
        {
            context.RejectPrincipal();
            return;
        }
        ApiResult<TokenPair> renewed;
        try
        {
            renewed = await RefreshOnceAsync(refreshToken, now);
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
        {
            // The user service is away: the session stays, and the next request tries again.
            LogUnavailable(error.Message);
            return;
        }
        if (renewed.Value is { } pair)
        {
            SessionTokens.Store(context.Properties, pair, now);
            context.ShouldRenew = true;
        }
        else if (renewed.Problem is { Status: 400 or 401 })
        {
            // Revoked, expired or spent elsewhere: the customer signs in again.
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SessionTokens.Scheme);
        }
    }

    private Task<ApiResult<TokenPair>> RefreshOnceAsync(string refreshToken, DateTimeOffset now)
    {
        foreach (var (token, entry) in _recent)
            if (entry.Until < now)
                _recent.TryRemove(token, out _);
        return _recent.GetOrAdd(refreshToken, token => (RefreshAsync(token), now + Shared)).Refresh;
    }

    private async Task<ApiResult<TokenPair>> RefreshAsync(string refreshToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<AccountsClient>().RefreshAsync(refreshToken, CancellationToken.None);
            if (!result.Succeeded)
                _recent.TryRemove(refreshToken, out _);
            return result;
        }
        catch
        {
            // Not kept: the next request tries again instead of meeting this failure for a minute.
            _recent.TryRemove(refreshToken, out _);
            throw;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not renew a session's access token ({Reason}); trying again on its next request")]
    private partial void LogUnavailable(string reason);
}
