using Microsoft.Extensions.Configuration;

namespace OrderX.ServiceDefaults;

/// <summary>
/// `dotnet OrderX.X.dll healthcheck`: asks the running service's /health/ready on its own port and exits 0 or 1.
/// Container images use it for HEALTHCHECK, so they need no curl or wget.
/// </summary>
public static class HealthProbe
{
    public static bool IsRequested(string[] args) => args is ["healthcheck", ..];

    public static async Task<int> RunAsync(OrderXService service)
    {
        var environment = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        // In a container the runtime's port wins, as it does for the service itself.
        var port = environment["ASPNETCORE_HTTP_PORTS"]?.Split(';', ',')[0]
                   ?? service.Port(environment).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync($"http://127.0.0.1:{port}/health/ready");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return 1;
        }
    }
}
