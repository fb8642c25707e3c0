using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
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
    private static async Task<WebApplication> StartPaymentServiceAsync(params string[] args) =>
        await StartPaymentServiceAsync(() => "payment, in memory", args);

    private static async Task<WebApplication> StartPaymentServiceAsync(Delegate liveness, params string[] args)
    {
        var port = FreePorts.Take(1)[0];
        var builder = OrderXBuilder.CreateBuilder(OrderXService.Payment,
            [$"--Ports:payment={port}", "--Http2Ports:payment=0", $"--{TelemetryExtensions.AllInOneKey}=true", "--Logging:LogLevel:Default=Warning", .. args]);
        var app = builder.Build();
        app.MapGet("/health/live", liveness);
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
    public async Task The_all_in_ones_gateway_built_and_started_before_its_services_forwards_to_them_in_memory()
    {
        // The all-in-one builds every part, then starts the services, then the gateway: YARP has made its clients by then.
        await using var gateway = await GatewayUnderTest.StartAsync(new() { [TelemetryExtensions.AllInOneKey] = "true" });
        await using var payment = await StartPaymentServiceAsync();

        using var response = await gateway.SendAsync(HttpMethod.Get, "/health/live/payment");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("payment, in memory", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_request_forwarded_in_memory_carries_the_gateways_span_as_its_parent_not_the_callers()
    {
        // Someone traces, as the OpenTelemetry exporter does when it is configured.
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(tracing);
        await using var payment = await StartPaymentServiceAsync((HttpContext context) => context.Request.Headers.TraceParent.ToString());
        await using var gateway = await GatewayUnderTest.StartAsync(new() { [TelemetryExtensions.AllInOneKey] = "true" });
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpanId = ActivitySpanId.CreateRandom().ToHexString();

        using var response = await gateway.SendAsync(HttpMethod.Get, "/health/live/payment",
            configure: request => request.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-01"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = await response.Content.ReadAsStringAsync();
        Assert.StartsWith($"00-{traceId}-", seen, StringComparison.Ordinal);
        Assert.DoesNotContain(callerSpanId, seen, StringComparison.Ordinal);
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
