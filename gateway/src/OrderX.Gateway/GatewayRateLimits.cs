using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.Auth;

namespace OrderX.Gateway;

/// <summary>Per-customer and per-address token buckets, chained; a refusal is 429 ProblemDetails with <c>Retry-After</c>.</summary>
public static class GatewayRateLimits
{
    public static void Configure(RateLimiterOptions options, RateLimitOptions limits)
    {
        var perCustomer = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.User.Identity?.IsAuthenticated == true && context.User.FindFirst(OrderXClaims.Subject)?.Value is { } customer
                ? RateLimitPartition.GetTokenBucketLimiter($"customer:{customer}", _ => Bucket(limits.CustomerPerSecond, limits.CustomerBurst))
                : RateLimitPartition.GetNoLimiter("anonymous"));
        var perAddress = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            context.Request.Path.StartsWithSegments("/health")
                ? RateLimitPartition.GetNoLimiter("health")
                : RateLimitPartition.GetTokenBucketLimiter($"address:{context.Connection.RemoteIpAddress}", _ => Bucket(limits.AddressPerSecond, limits.AddressBurst)));
        options.GlobalLimiter = PartitionedRateLimiter.CreateChained(perCustomer, perAddress);
        options.OnRejected = async (context, _) =>
        {
            var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await Problems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                "Slow down: too many requests from this customer or address. Retry after the time in Retry-After.");
        };
    }

    private static TokenBucketRateLimiterOptions Bucket(int perSecond, int burst) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = perSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
