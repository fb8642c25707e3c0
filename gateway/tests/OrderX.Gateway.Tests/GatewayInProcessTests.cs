using System.Net;
using Microsoft.AspNetCore.Builder;
using OrderX.ServiceDefaults;
using OrderX.ServiceDefaults.InProcess;
using OrderX.Testing;

namespace OrderX.Gateway.Tests;

/// <summary>
/// In the all-in-one the gateway reaches the services in its process in memory. The payment service's address in
/// <see cref="GatewayUnderTest"/> has nothing listening, so an answer from it proves the request never took a socket.
/// </summary>
public sealed class GatewayInProcessTests
{
    private static async Task<WebApplication> StartPaymentServiceAsync(params string[] args)
    {
        var port = FreePorts.Take(1)[0];
        var builder = OrderXBuilder.CreateBuilder(OrderXService.Payment,
            [$"--Ports:payment={port}", "--Http2Ports:payment=0", $"--{TelemetryExtensions.AllInOneKey}=true", "--Logging:LogLevel:Default=Warning", .. args]);
        var app = builder.Build();
        app.MapGet("/health/live", () => "payment, in memory");
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task The_all_in_ones_gateway_forwards_to_a_service_of_its_process_in_memory()
    {
        await using var payment = await StartPaymentServiceAsync();
        await using var gateway = await GatewayUnderTest.StartAsync(new() { [TelemetryExtensions.AllInOneKey] = "true" });

        using var response = await gateway.SendAsync(HttpMethod.Get, "/health/live/payment");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("payment, in memory", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_all_in_ones_gateway_told_to_forward_over_sockets_finds_the_service_down_at_its_address()
    {
        await using var payment = await StartPaymentServiceAsync();
        await using var gateway = await GatewayUnderTest.StartAsync(new()
        {
            [TelemetryExtensions.AllInOneKey] = "true",
            [InProcessEndpoints.ForwardInMemoryKey] = "false",
        });

        using var response = await gateway.SendAsync(HttpMethod.Get, "/health/live/payment");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }
}
