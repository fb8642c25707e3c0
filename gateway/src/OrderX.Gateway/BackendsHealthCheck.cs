using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrderX.ServiceDefaults;

namespace OrderX.Gateway;

/// <summary>
/// For the gateway's health report: every service behind it passes its own report (ready, and connected to the
/// broker). The start scripts wait on this one URL; readiness does not include it.
/// </summary>
public sealed class BackendsHealthCheck(IHttpClientFactory clients, IConfiguration configuration) : IHealthCheck
{
    public const string ClientName = "backend-health";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var client = clients.CreateClient(ClientName);
        var checks = OrderXService.Backends.Select(async service =>
        {
            try
            {
                using var response = await client.GetAsync(new Uri(service.Url(configuration), "/health"), cancellationToken);
                return (service.Name, Ready: response.IsSuccessStatusCode);
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
                return (service.Name, Ready: false);
            }
        });
        var results = await Task.WhenAll(checks);
        var down = results.Where(r => !r.Ready).Select(r => r.Name).ToList();
        return down.Count == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"Not healthy: {string.Join(", ", down)} (each one's GET /health says why)");
    }
}
