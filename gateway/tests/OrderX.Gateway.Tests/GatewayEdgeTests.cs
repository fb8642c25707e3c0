using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OrderX.ServiceDefaults.Auth;
using OrderX.Testing;

namespace OrderX.Gateway.Tests;

public sealed class GatewayEdgeTests
{
    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task A_valid_token_is_passed_on_to_the_service_with_a_correlation_id()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var token = gateway.Token();

        using var response = await gateway.SendAsync(HttpMethod.Get, "/api/orders", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, _, _, headers) = Assert.Single(gateway.Received);
        Assert.Equal($"Bearer {token}", headers.Authorization.ToString());
        var correlation = Assert.Single(response.Headers.GetValues("X-Correlation-Id"));
        Assert.Equal(correlation, headers["X-Correlation-Id"].ToString());
    }

    [Fact]
    public async Task A_service_that_offers_http2_is_reached_over_it_and_the_others_over_http11()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();

        using var orders = await gateway.SendAsync(HttpMethod.Get, "/api/orders", gateway.Token());
        using var catalog = await gateway.SendAsync(HttpMethod.Get, "/api/products");

        Assert.Equal(HttpStatusCode.OK, orders.StatusCode);
        Assert.Equal(HttpStatusCode.OK, catalog.StatusCode);
        Assert.Equal([("/api/orders", "HTTP/2"), ("/api/products", "HTTP/1.1")], gateway.Received.Select(r => (r.Path, r.Protocol)));
    }

    public static TheoryData<string> BadTokens() => ["expired", "tampered", "wrong-audience", "wrong-key", "none", "garbage"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_missing_or_bad_token_is_refused_with_401_before_any_service_sees_the_request(string kind)
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var token = kind switch
        {
            "expired" => gateway.Token(lifetime: TimeSpan.FromMinutes(-10)),
            "tampered" => TokenTampering.WithClaim(gateway.Token(), "sub", Guid.NewGuid().ToString()),
            "wrong-audience" => gateway.Token(audience: "someone-else"),
            "wrong-key" => gateway.Token(key: new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test" }),
            "garbage" => "not.a.token",
            _ => null,
        };

        using var response = await gateway.SendAsync(HttpMethod.Get, "/api/orders", token);

        await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Empty(gateway.Received);
    }

    [Fact]
    public async Task The_catalog_is_open_to_read_but_only_an_admin_may_change_it()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        JsonContent Body() => JsonContent.Create(new { name = "x", price = 1, stock = 1 });

        using var read = await gateway.SendAsync(HttpMethod.Get, "/api/products");
        using var anonymous = await gateway.SendAsync(HttpMethod.Post, "/api/products", content: Body());
        using var customer = await gateway.SendAsync(HttpMethod.Post, "/api/products", gateway.Token(), Body());
        using var admin = await gateway.SendAsync(HttpMethod.Post, "/api/products", gateway.Token(OrderXRoles.Admin), Body());

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        await AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized);
        await AssertProblemAsync(customer, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(["GET", "POST"], gateway.Received.Select(r => r.Method));
    }

    [Fact]
    public async Task A_customer_over_their_rate_gets_429_with_retry_after_and_other_customers_do_not()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(new()
        {
            ["Gateway:RateLimits:CustomerPerSecond"] = "1", ["Gateway:RateLimits:CustomerBurst"] = "3",
        });
        var greedy = gateway.Token();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await gateway.SendAsync(HttpMethod.Get, "/api/orders", greedy);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await AssertProblemAsync(response, HttpStatusCode.TooManyRequests);
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            }
        }
        using var other = await gateway.SendAsync(HttpMethod.Get, "/api/orders", gateway.Token());

        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task One_address_over_its_rate_gets_429_even_without_signing_in()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(new()
        {
            ["Gateway:RateLimits:AddressPerSecond"] = "1", ["Gateway:RateLimits:AddressBurst"] = "2",
        });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await gateway.SendAsync(HttpMethod.Get, "/api/products");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task An_oversized_body_is_refused_with_413_and_never_forwarded()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(new() { ["Gateway:MaxRequestBodyBytes"] = "1024" });

        using var response = await gateway.SendAsync(HttpMethod.Post, "/order", gateway.Token(),
            new StringContent($"{{\"items\":\"{new string('x', 4096)}\"}}", Encoding.UTF8, "application/json"));

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Empty(gateway.Received);
    }

    [Fact]
    public async Task A_client_that_sends_an_oversized_body_without_waiting_for_an_answer_reads_the_413_instead_of_a_reset()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();
        var body = new byte[16 * 1024 * 1024];
        Array.Fill(body, (byte)'x');
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", gateway.Client.BaseAddress!.Port);
        await using var stream = new System.Net.Sockets.NetworkStream(socket, ownsSocket: false);

        // As Python's urllib and Node's fetch do: the whole body at once, no Expect: 100-continue.
        var head = Encoding.ASCII.GetBytes($"POST /order HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {gateway.Token()}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        await stream.WriteAsync(head);
        await stream.WriteAsync(body);
        var answer = new StringBuilder();
        var buffer = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(20))) > 0)
            answer.Append(Encoding.ASCII.GetString(buffer, 0, read));

        Assert.StartsWith("HTTP/1.1 413", answer.ToString());
        Assert.Contains("Request body too large", answer.ToString());
        Assert.Empty(gateway.Received);
    }

    [Fact]
    public async Task A_service_that_is_down_answers_503_with_retry_after()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();

        using var response = await gateway.SendAsync(HttpMethod.Get, "/api/payments?orderId=" + Guid.NewGuid(), gateway.Token());

        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task An_upstream_failure_is_logged_once_in_one_line_naming_the_service_and_the_answer()
    {
        var log = new RecordingLoggerProvider();
        await using var gateway = await GatewayUnderTest.StartAsync(log: log);

        using var response = await gateway.SendAsync(HttpMethod.Get, "/api/payments", gateway.Token());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var entry = await Eventually.ValueAsync(() => Task.FromResult(log.Entries.Where(e => e.Category == EdgeMiddleware.UpstreamErrorsCategory).ToList()),
            entries => entries.Count > 0, "the gateway's line about the failure");
        var (level, _, message) = Assert.Single(entry);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Contains("GET /api/payments: the payment service failed", message);
        Assert.Contains("answered 503", message);
        Assert.DoesNotContain('\n', message);
        // The forwarder's own warning (with the stack trace) is left out.
        Assert.DoesNotContain(log.Entries, e => e.Category.StartsWith("Yarp", StringComparison.Ordinal) && e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_service_that_answers_too_slowly_is_cut_off_with_504()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();

        using var response = await gateway.SendAsync(HttpMethod.Get, "/api/orders/slow", gateway.Token());

        await AssertProblemAsync(response, HttpStatusCode.GatewayTimeout);
    }

    [Fact]
    public async Task Every_answer_carries_the_security_headers_and_no_server_banner()
    {
        await using var gateway = await GatewayUnderTest.StartAsync();

        using var ok = await gateway.SendAsync(HttpMethod.Get, "/api/products");
        using var refused = await gateway.SendAsync(HttpMethod.Get, "/api/orders");

        foreach (var response in new[] { ok, refused })
        {
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.False(response.Headers.Contains("Server"));
        }
    }

    [Fact]
    public async Task Cross_origin_calls_are_allowed_for_the_web_ui_origin_only()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(new() { ["Gateway:CorsOrigins:0"] = "https://shop.example.com" });

        async Task<HttpResponseMessage> PreflightAsync(string origin) => await gateway.SendAsync(HttpMethod.Options, "/order", configure: request =>
        {
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,idempotency-key");
        });
        using var allowed = await PreflightAsync("https://shop.example.com");
        using var other = await PreflightAsync("https://evil.example.net");

        Assert.Equal("https://shop.example.com", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("idempotency-key", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Empty(gateway.Received);
    }
}
