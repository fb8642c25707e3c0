using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OrderX.Orders;
using OrderX.ServiceDefaults.Auth;
using OrderX.Testing;

namespace OrderX.Orders.Tests;

/// <summary>
/// A service reached without the gateway checks every token itself: the real order service, on a real port,
/// trusting one issuer key. Only a token that is signed by that key, for OrderX, and still valid gets through.
/// </summary>
public sealed class ServiceTokenChecksTests : IAsyncLifetime
{
    private OrderServiceUnderTest? _orderService;

    private RsaSecurityKey IssuerKey => _orderService!.IssuerKey;

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
            "valid" => TestTokens.Mint(IssuerKey),
            "expired" => TestTokens.Mint(IssuerKey, lifetime: TimeSpan.FromMinutes(-5)),
            "tampered" => TokenTampering.WithClaim(TestTokens.Mint(IssuerKey), "role", "admin"),
            "wrong audience" => TestTokens.Mint(IssuerKey, audience: "another-api"),
            "wrong issuer" => TestTokens.Mint(IssuerKey, issuer: "someone-else"),
            "signed by another key" => TestTokens.Mint(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "issuer" }),
            _ => null,
        };
        using var client = _orderService!.Client();
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await client.GetAsync("/api/orders");

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Unauthorized)
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_token_remembered_as_valid_still_passes_and_a_forgery_of_it_is_still_refused()
    {
        var handlers = _orderService!.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme).TokenHandlers;
        Assert.NotEmpty(handlers);
        Assert.All(handlers, h => Assert.IsType<ValidatedTokenCache>(h));
        var token = TestTokens.Mint(IssuerKey);
        using var client = _orderService.Client();

        var answers = new List<HttpStatusCode>();
        foreach (var bearer in new[] { token, token, TokenTampering.WithClaim(token, "role", "admin"), token })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/orders");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            using var response = await client.SendAsync(request);
            answers.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.OK], answers);
    }

    public async Task InitializeAsync() => _orderService = await OrderServiceUnderTest.StartAsync();

    public async Task DisposeAsync()
    {
        if (_orderService is not null)
            await _orderService.DisposeAsync();
    }
}
