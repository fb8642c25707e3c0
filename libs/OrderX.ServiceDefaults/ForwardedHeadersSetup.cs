using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OrderX.ServiceDefaults;

public static class ForwardedHeadersSetup
{
    /// <summary>
    /// Behind the gateway the caller's address arrives in <c>X-Forwarded-For</c>, and the public scheme and host the
    /// caller used in <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> (so that the URLs a service writes into
    /// documents, the issuer's key address among them, are the public ones, never a service's internal port). They
    /// are believed only from <c>ForwardedHeaders:TrustedNetworks</c> (comma-separated CIDR; loopback by default), so
    /// nobody else can pretend to be another address (the sign-in throttle counts per address). The gateway trusts a
    /// proxy in front of it the same way, and passes the public host on.
    /// </summary>
    public static IServiceCollection ConfigureForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var trusted = configuration["ForwardedHeaders:TrustedNetworks"] ?? "127.0.0.0/8,::1/128";
        return services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.ForwardLimit = 1;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var network in trusted.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
        });
    }
}
