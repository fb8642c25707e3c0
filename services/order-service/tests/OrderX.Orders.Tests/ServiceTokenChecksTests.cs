using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.IdentityModel.Tokens;
using OrderX.Orders;
using OrderX.ServiceDefaults;
using OrderX.Testing;

namespace OrderX.Orders.Tests;

/// <summary>
/// A service reached without the gateway checks every token itself: the real order service, on a real port,
/// trusting one issuer key. Only a token that is signed by that key, for OrderX, and still valid gets through.
/// </summary>
public sealed class ServiceTokenChecksTests : IAsyncLifetime
{
    private readonly RsaSecurityKey _issuerKey = new(RSA.Create(2048)) { KeyId = "issuer" };
    private readonly string _data = Directory.CreateTempSubdirectory("orderx-tokens-").FullName;
    private readonly int _port = FreePorts.Take(1)[0];
    private WebApplication? _orderService;

    public static TheoryData<string, HttpStatusCode> Tokens() => new()
    {
        { "valid", HttpStatusCode.OK },
        { "expired", HttpStatusCode.Unauthorized },
        { "tampered", HttpStatusCode.Unauthorized },
        { "wrong audience", HttpStatusCode.Unauthorized },
        { "wrong issuer", HttpStatusCode.Unauthorized },
        { "signed by another key", HttpStatusCode.Unauthorized },
        { "none", HttpStatusCode.Unauthorized },
    };

    [Theory]
    [MemberData(nameof(Tokens))]
    public async Task Only_a_valid_token_from_the_issuer_gets_through(string kind, HttpStatusCode expected)
    {
        var token = kind switch
        {
            "valid" => TestTokens.Mint(_issuerKey),
            "expired" => TestTokens.Mint(_issuerKey, lifetime: TimeSpan.FromMinutes(-5)),
            "tampered" => TokenTampering.WithClaim(TestTokens.Mint(_issuerKey), "role", "admin"),
            "wrong audience" => TestTokens.Mint(_issuerKey, audience: "another-api"),
            "wrong issuer" => TestTokens.Mint(_issuerKey, issuer: "someone-else"),
            "signed by another key" => TestTokens.Mint(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "issuer" }),
            _ => null,
        };
        using var client = new HttpClient { BaseAddress = new Uri($"http://localhost:{_port}") };
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await client.GetAsync("/api/orders");

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Unauthorized)
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public async Task InitializeAsync()
    {
        _orderService = OrderServiceHost.Build(
        [
            $"--Ports:order={_port}",
            "--Http2Ports:order=0",
            $"--Data:Path={_data}",
            $"--Auth:ValidationKey={_issuerKey.Rsa.ExportSubjectPublicKeyInfoPem()}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _orderService.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_orderService is not null)
        {
            await _orderService.StopAsync();
            await _orderService.DisposeAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }
}
