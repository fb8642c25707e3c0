using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OrderX.ServiceDefaults.InProcess;
using OrderX.Testing;

namespace OrderX.ServiceDefaults.Tests;

/// <summary>The all-in-one's parts record into one metrics pipeline for the process, not one each.</summary>
[Collection(InProcessEndpointsTests.AllInOneParts)]
public sealed class ProcessMetricsTests
{
    // Each test its own route: a meter provider sees every app of the test process, the other test classes' too.
    private static async Task<WebApplication> StartAsync(OrderXService service, int port, string route, params string[] args)
    {
        var builder = OrderXBuilder.CreateBuilder(service,
            [$"--Ports:{service.Name}={port}", $"--Http2Ports:{service.Name}=0", "--Logging:LogLevel:Default=Warning", .. args]);
        var app = builder.Build();
        app.UseOrderXDefaults();
        app.MapGet(route, () => service.Name);
        await app.StartAsync();
        return app;
    }

    private static double Requests(string metrics, string route) =>
        PrometheusText.Sum(metrics, "http_server_request_duration_seconds_count", $"http_route=\"{route}\"");

    [Fact]
    public async Task The_all_in_ones_parts_share_one_metrics_pipeline_which_lives_until_the_last_part_stops()
    {
        var ports = FreePorts.Take(3);
        using var scraper = new HttpClient();
        var allInOne = $"--{TelemetryExtensions.AllInOneKey}=true";
        const string route = "/shared-pipeline";
        double Pings(string metrics) => Requests(metrics, route);
        var notification = await StartAsync(OrderXService.Notification, ports[0], route, allInOne);
        await using var payment = await StartAsync(OrderXService.Payment, ports[1], route, allInOne);
        var shared = notification.Services.GetRequiredService<ProcessMetrics.Lease>().Provider;
        Assert.Same(shared, payment.Services.GetRequiredService<ProcessMetrics.Lease>().Provider);

        for (var i = 0; i < 3; i++)
            Assert.Equal("notification", await scraper.GetStringAsync($"http://localhost:{ports[0]}{route}"));
        // Each request counted once, and every part's /metrics shows the whole process, as one pipeline does.
        Assert.Equal(3, Pings(await scraper.GetStringAsync($"http://localhost:{ports[0]}/metrics")));
        Assert.Equal(3, Pings(await scraper.GetStringAsync($"http://localhost:{ports[1]}/metrics")));

        // One part stopping leaves the pipeline to the others.
        await notification.StopAsync();
        await notification.DisposeAsync();
        Assert.Equal(3, Pings(await scraper.GetStringAsync($"http://localhost:{ports[1]}/metrics")));

        // When the last part stops, the pipeline goes with it; the next all-in-one gets a new one.
        await payment.StopAsync();
        await payment.DisposeAsync();
        await using var next = await StartAsync(OrderXService.Notification, ports[2], route, allInOne);
        Assert.NotSame(shared, next.Services.GetRequiredService<ProcessMetrics.Lease>().Provider);
        Assert.Equal(0, Pings(await scraper.GetStringAsync($"http://localhost:{ports[2]}/metrics")));
    }

    [Fact]
    public async Task A_service_on_its_own_keeps_a_metrics_pipeline_of_its_own()
    {
        var port = FreePorts.Take(1)[0];
        const string route = "/own-pipeline";
        await using var alone = await StartAsync(OrderXService.Payment, port, route);

        Assert.Null(alone.Services.GetService<ProcessMetrics.Lease>());
        using var scraper = new HttpClient();
        await scraper.GetStringAsync($"http://localhost:{port}{route}");
        Assert.Equal(1, Requests(await scraper.GetStringAsync($"http://localhost:{port}/metrics"), route));
    }
}
