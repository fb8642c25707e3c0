using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;

namespace OrderX.ServiceDefaults;

public static class ServiceClientExtensions
{
    /// <summary>A typed client for another OrderX service, with per-attempt timeouts, retries and a circuit breaker.</summary>
    /// <param name="retryUnsafeMethods">False where repeating a POST that may have taken effect does harm (spending a refresh token twice).</param>
    /// <param name="attemptTimeout">How long one attempt may take (3 s): longer for a call whose answer waits on the target's own calls.</param>
    public static IHttpClientBuilder AddServiceClient<TClient>(this IServiceCollection services, IConfiguration configuration, OrderXService target,
        bool retryUnsafeMethods = true, TimeSpan? attemptTimeout = null)
        where TClient : class
    {
        // Read now, not when the first client is created: a missing or bad URL shows at start-up. Cleartext HTTP/2
        // where the service offers it, as the gateway does: one multiplexed connection, fewer system calls.
        var http2 = target.Http2Url(configuration);
        var baseAddress = http2 ?? target.Url(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDependencyOutage, ServiceCallOutage>());
        var builder = services.AddHttpClient<TClient>(client =>
        {
            client.BaseAddress = baseAddress;
            if (http2 is not null)
            {
                client.DefaultRequestVersion = System.Net.HttpVersion.Version20;
                client.DefaultVersionPolicy = System.Net.Http.HttpVersionPolicy.RequestVersionExact;
            }
        });
        builder.ConfigurePrimaryHttpMessageHandler(() => new System.Net.Http.SocketsHttpHandler { EnableMultipleHttp2Connections = true });
        // The client's default version reaches only the requests its helpers build (GetAsync, PostAsJsonAsync); one built
        // by hand would go out as HTTP/1.1, which the HTTP/2-only port refuses.
        if (http2 is not null)
            builder.AddHttpMessageHandler(() => new Http2Requests());
        builder.AddStandardResilienceHandler(o =>
        {
            var attempt = attemptTimeout ?? TimeSpan.FromSeconds(3);
            o.AttemptTimeout.Timeout = attempt;
            o.TotalRequestTimeout.Timeout = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(10).Ticks, attempt.Ticks * 3));
            // The breaker must sample at least two attempts' time.
            o.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(10).Ticks, attempt.Ticks * 2));
            // An open circuit tries the service again after a second (the default 5 s kept refusing orders for seconds
            // after a restarted product service was back); one good answer closes it.
            o.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(1);
            o.Retry.MaxRetryAttempts = 3;
            o.Retry.Delay = TimeSpan.FromMilliseconds(100);
            if (!retryUnsafeMethods)
                o.Retry.DisableForUnsafeHttpMethods();
        });
        return builder;
    }

    private sealed class Http2Requests : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Version = System.Net.HttpVersion.Version20;
            request.VersionPolicy = System.Net.Http.HttpVersionPolicy.RequestVersionExact;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
