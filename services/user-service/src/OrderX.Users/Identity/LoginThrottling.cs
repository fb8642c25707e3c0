using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OrderX.Users.Data;

namespace OrderX.Users.Identity;

public sealed class LoginThrottleOptions
{
    public const string Section = "Auth:Login";

    public int MaxFailuresPerAccount { get; set; } = 5;
    public int MaxFailuresPerAddress { get; set; } = 20;
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
    public TimeSpan BlockFor { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Blocks sign-ins after too many failures for one e-mail (whether or not it has an account, so a block tells
/// nothing) or from one address. Counted in the database: every instance sees the same counts.
/// </summary>
public sealed class LoginThrottling(UsersDbContext db, IOptions<LoginThrottleOptions> options, TimeProvider clock)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public static string AccountKey(string normalizedEmail) => $"account:{normalizedEmail}";
    public static string AddressKey(string address) => $"address:{address}";

    /// <summary>How long the caller must wait, or null when sign-in may be tried.</summary>
    public async Task<TimeSpan?> BlockedForAsync(string accountKey, string addressKey, CancellationToken cancellationToken)
    {
        var now = Now;
        var until = await db.LoginThrottles.AsNoTracking()
            .Where(t => (t.Key == accountKey || t.Key == addressKey) && t.BlockedUntil > now)
            .Select(t => t.BlockedUntil)
            .MaxAsync(cancellationToken);
        return until is { } blockedUntil ? blockedUntil - now : null;
    }

    /// <summary>Counts a failure against both keys; the caller saves.</summary>
    public async Task FailedAsync(string accountKey, string addressKey, CancellationToken cancellationToken)
    {
        await CountAsync(accountKey, options.Value.MaxFailuresPerAccount, cancellationToken);
        await CountAsync(addressKey, options.Value.MaxFailuresPerAddress, cancellationToken);
    }

    /// <summary>A successful sign-in clears the account's count (the address keeps its own).</summary>
    public Task SucceededAsync(string accountKey, CancellationToken cancellationToken) =>
        db.LoginThrottles.Where(t => t.Key == accountKey).ExecuteDeleteAsync(cancellationToken);

    private async Task CountAsync(string key, int limit, CancellationToken cancellationToken)
    {
        var now = Now;
        var settings = options.Value;
        var throttle = await db.LoginThrottles.FirstOrDefaultAsync(t => t.Key == key, cancellationToken);
        if (throttle is null)
            db.LoginThrottles.Add(throttle = new LoginThrottle { Key = key, WindowStartedAt = now });
        else if (now - throttle.WindowStartedAt > settings.Window)
            (throttle.Failures, throttle.WindowStartedAt, throttle.BlockedUntil) = (0, now, null);
        throttle.Failures++;
        if (throttle.Failures >= limit)
            throttle.BlockedUntil = now + settings.BlockFor;
    }
}
