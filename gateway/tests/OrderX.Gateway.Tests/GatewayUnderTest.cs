using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OrderX.ServiceDefaults.Auth;
using OrderX.Testing;

namespace OrderX.Gateway.Tests;

/// <summary>
/// The real gateway on a real port, in front of a stub that plays every service: it records what reaches it,
/// answers slowly on <c>/slow</c>, and the payment service's address has nothing listening (a service that is down).
/// The stub also has an HTTP/2-only port, which the gateway is told to use for the order service.
/// Tokens are minted here with a key the gateway is told to trust, exactly as the user service would mint them.
/// </summary>
public sealed class GatewayUnderTest : IAsyncDisposable
{
    private readonly WebApplication _backend;
    private readonly WebApplication _gateway;

    private GatewayUnderTest(WebApplication backend, WebApplication gateway, RSA key, int gatewayPort)
    {
        _backend = backend;
        _gateway = gateway;
        Key = new RsaSecurityKey(key) { KeyId = "test" };
        Client = new HttpClient { BaseAddress = new Uri($"http://localhost:{gatewayPort}") };
    }

    public RsaSecurityKey Key { get; }

    public HttpClient Client { get; }

    /// <summary>Every request the stub services received: method, path, protocol and the headers they saw.</summary>
    public ConcurrentQueue<(string Method, string Path, string Protocol, IHeaderDictionary Headers)> Received { get; } = new();

    public static async Task<GatewayUnderTest> StartAsync(Dictionary<string, string?>? settings = null, ILoggerProvider? log = null)
    {
        var ports = FreePorts.Take(5);
        var (backendPort, gatewayPort, deadPort, backendHttp2Port) = (ports[0], ports[1], ports[2], ports[3]);
        var rsa = RSA.Create(2048);
        GatewayUnderTest? self = null;

        var backendBuilder = WebApplication.CreateBuilder();
        backendBuilder.Logging.ClearProviders();
        backendBuilder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenLocalhost(backendPort);
            kestrel.ListenLocalhost(backendHttp2Port, listen => listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http2);
        });
        var backend = backendBuilder.Build();
        backend.Run(async context =>
        {
            // A copy (the request's own header collection is recycled once it has been answered), looked up without
            // regard to case as the original is: HTTP/2 carries header names in lower case.
            self!.Received.Enqueue((context.Request.Method, context.Request.Path, context.Request.Protocol,
                new HeaderDictionary(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(context.Request.Headers, StringComparer.OrdinalIgnoreCase))));
            if (context.Request.Path.StartsWithSegments("/api/orders/slow"))
                await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"ok\":true}");
        });
        await backend.StartAsync();

        var args = new Dictionary<string, string?>
        {
            ["Ports:gateway"] = $"{gatewayPort}",
            ["MetricsPorts:gateway"] = $"{ports[4]}",
            ["Auth:ValidationKey"] = rsa.ExportSubjectPublicKeyInfoPem(),
            ["Gateway:BackendTimeout"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var service in new[] { "user", "product", "order", "notification" })
            args[$"Services:{service}:Url"] = $"http://localhost:{backendPort}";
        args["Services:payment:Url"] = $"http://localhost:{deadPort}";
        args["Services:order:Http2Url"] = $"http://localhost:{backendHttp2Port}";
        foreach (var (key, value) in settings ?? [])
            args[key] = value;
        var gateway = GatewayHost.Build(args.Select(a => $"--{a.Key}={a.Value}").ToArray(), builder =>
        {
            if (log is not null)
                builder.Logging.AddProvider(log);
        });
        await gateway.StartAsync();
        self = new GatewayUnderTest(backend, gateway, rsa, gatewayPort);
        return self;
    }

    /// <summary>A token as the user service issues it; each argument can be bent to make a bad one.</summary>
    public string Token(string role = OrderXRoles.Customer, Guid? subject = null, string audience = TestTokens.Audience, TimeSpan? lifetime = null, SecurityKey? key = null) =>
        TestTokens.Mint(key ?? Key, role, subject, audience, lifetime);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, HttpContent? content = null,
        Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        configure?.Invoke(request);
        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _gateway.StopAsync();
        await _gateway.DisposeAsync();
        await _backend.StopAsync();
        await _backend.DisposeAsync();
    }
}
