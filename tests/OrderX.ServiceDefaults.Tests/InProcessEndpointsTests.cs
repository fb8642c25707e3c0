using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OrderX.ServiceDefaults.InProcess;
using OrderX.Testing;

namespace OrderX.ServiceDefaults.Tests;

/// <summary>The all-in-one's services, reachable by its gateway in memory as well as on their ports.</summary>
[Collection(AllInOneParts)]
public sealed class InProcessEndpointsTests
{
    /// <summary>Tests of what the all-in-one's parts share in the process run one at a time.</summary>
    public const string AllInOneParts = "all-in-one parts";

    private static async Task<WebApplication> StartAsync(int port, params string[] args)
    {
        var builder = OrderXBuilder.CreateBuilder(OrderXService.Notification,
            [$"--Ports:notification={port}", "--Http2Ports:notification=0", "--Logging:LogLevel:Default=Warning", .. args]);
        var app = builder.Build();
        app.UseForwardedHeaders();
        app.MapGet("/whoami", (HttpContext context) => $"{context.Connection.RemoteIpAddress} {context.Request.Path}");
        await app.StartAsync();
        return app;
    }

    private static async Task<string> WhoAmIAsync(HttpMessageInvoker client, int port, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://localhost:{port}/whoami");
        if (forwardedFor is not null)
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task An_all_in_one_service_answers_in_memory_as_to_its_gateway_on_loopback_and_on_its_port_until_it_stops()
    {
        var port = FreePorts.Take(1)[0];
        await using var app = await StartAsync(port, $"--{TelemetryExtensions.AllInOneKey}=true");

        var inMemory = InProcessEndpoints.Of(OrderXService.Notification.Name);
        using var overSocket = new HttpClient();
        Assert.NotNull(inMemory);
        // In memory as on the gateway's loopback connection: from 127.0.0.1, a trusted proxy whose forwarded address counts.
        Assert.Equal("127.0.0.1 /whoami", await WhoAmIAsync(inMemory, port));
        Assert.Equal("127.0.0.1 /whoami", await WhoAmIAsync(overSocket, port));
        Assert.Equal("203.0.113.7 /whoami", await WhoAmIAsync(inMemory, port, forwardedFor: "203.0.113.7"));
        Assert.Equal("203.0.113.7 /whoami", await WhoAmIAsync(overSocket, port, forwardedFor: "203.0.113.7"));

        await app.StopAsync();
        Assert.Null(InProcessEndpoints.Of(OrderXService.Notification.Name));
    }

    [Fact]
    public async Task A_service_on_its_own_or_an_all_in_one_told_to_forward_over_sockets_is_reachable_only_on_its_port()
    {
        var ports = FreePorts.Take(2);
        await using (var alone = await StartAsync(ports[0]))
            Assert.Null(InProcessEndpoints.Of(OrderXService.Notification.Name));
        await using var sockets = await StartAsync(ports[1], $"--{TelemetryExtensions.AllInOneKey}=true", $"--{InProcessEndpoints.ForwardInMemoryKey}=false");
        Assert.Null(InProcessEndpoints.Of(OrderXService.Notification.Name));
    }
}
