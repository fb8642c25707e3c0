using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrderX.Testing;

namespace OrderX.ServiceDefaults.Tests;

/// <summary>Where a service listens when it chooses itself (local runs): its port for everyone, and one for the gateway's HTTP/2.</summary>
public sealed class ServiceListenersTests
{
    private static async Task<WebApplication> StartAsync(OrderXService service, params string[] args)
    {
        var builder = OrderXBuilder.CreateBuilder(service, [.. args, "--Logging:LogLevel:Default=Warning"]);
        var app = builder.Build();
        app.MapGet("/ping", (HttpContext context) => context.Request.Protocol);
        await app.StartAsync();
        return app;
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(int port, Version version)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://localhost:{port}/ping")
        {
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_service_answers_http11_on_its_port_and_cleartext_http2_on_its_second_port()
    {
        var ports = FreePorts.Take(2);
        await using var app = await StartAsync(OrderXService.Order, $"--Ports:order={ports[0]}", $"--Http2Ports:order={ports[1]}");

        Assert.Equal((HttpStatusCode.OK, "HTTP/1.1"), await GetAsync(ports[0], HttpVersion.Version11));
        Assert.Equal((HttpStatusCode.OK, "HTTP/2"), await GetAsync(ports[1], HttpVersion.Version20));
        await app.StopAsync();
    }

    [Fact]
    public async Task The_second_port_defaults_to_the_port_plus_100_and_0_opens_none()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Ports:order"] = "6103", ["Http2Ports:payment"] = "0" }).Build();

        Assert.Equal(6203, OrderXService.Order.Http2Port(configuration));
        Assert.Equal(new Uri("http://localhost:6203"), OrderXService.Order.Http2Url(configuration));
        Assert.Equal(0, OrderXService.Payment.Http2Port(configuration));
        Assert.Null(OrderXService.Payment.Http2Url(configuration));

        var port = FreePorts.Take(1)[0];
        await using var app = await StartAsync(OrderXService.Payment, $"--Ports:payment={port}", "--Http2Ports:payment=0");
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Assert.Equal([$"http://localhost:{port}"], addresses);
        await app.StopAsync();
    }

    [Fact]
    public async Task A_service_with_its_own_address_is_reached_over_http11_unless_an_http2_address_is_given()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Services:order:Url"] = "http://order:8080",
                ["Services:product:Url"] = "http://product:8080",
                ["Services:product:Http2Url"] = "http://product:8180",
            }).Build();

        Assert.Null(OrderXService.Order.Http2Url(configuration));
        Assert.Equal(new Uri("http://product:8180"), OrderXService.Product.Http2Url(configuration));
    }
}
