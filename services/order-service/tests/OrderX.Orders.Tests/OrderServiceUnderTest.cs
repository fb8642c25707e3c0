using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.IdentityModel.Tokens;
using OrderX.Testing;

namespace OrderX.Orders.Tests;

/// <summary>The real order service on a free port with its own SQLite folder, trusting one issuer key.</summary>
public sealed class OrderServiceUnderTest : IAsyncDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("orderx-order-service-").FullName;
    private readonly WebApplication _app;

    private OrderServiceUnderTest(string[] settings, RsaSecurityKey? issuerKey)
    {
        IssuerKey = issuerKey ?? new RsaSecurityKey(RSA.Create(2048)) { KeyId = "issuer" };
        Port = FreePorts.Take(1)[0];
        _app = OrderServiceHost.Build(
        [
            $"--Ports:order={Port}",
            "--Http2Ports:order=0",
            $"--Data:Path={_data}",
            $"--Auth:ValidationKey={IssuerKey.Rsa.ExportSubjectPublicKeyInfoPem()}",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ]);
    }

    public RsaSecurityKey IssuerKey { get; }

    public int Port { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<OrderServiceUnderTest> StartAsync(params string[] settings) => StartAsync(settings, issuerKey: null);

    /// <summary>A second instance trusts the first one's <paramref name="issuerKey"/>.</summary>
    public static async Task<OrderServiceUnderTest> StartAsync(string[] settings, RsaSecurityKey? issuerKey)
    {
        var service = new OrderServiceUnderTest(settings, issuerKey);
        await service._app.StartAsync();
        return service;
    }

    public HttpClient Client() => new() { BaseAddress = new Uri($"http://localhost:{Port}") };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }
}
