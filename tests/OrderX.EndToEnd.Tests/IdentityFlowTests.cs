using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OrderX.Testing;

namespace OrderX.EndToEnd.Tests;

/// <summary>Accounts, ownership, idempotency and hostile input, through the gateway's HTTP port, in each run mode.</summary>
public abstract partial class OrderFlowTests<TDeployment>
{
    [Fact]
    public async Task Every_url_the_discovery_document_names_is_the_gateways_and_answers_a_plain_http11_client()
    {
        var discovery = await Deployment.Gateway.GetFromJsonAsync<JsonElement>("/.well-known/openid-configuration");
        var urls = discovery.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.StartsWith("http", StringComparison.Ordinal))
            .Select(p => new Uri(p.Value.GetString()!)).ToList();

        Assert.NotEmpty(urls);
        using var plain = new HttpClient { DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        foreach (var url in urls)
        {
            Assert.Equal(Deployment.Gateway.BaseAddress!.Authority, url.Authority);
            using var response = await plain.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task A_customer_registers_signs_in_refreshes_and_signs_out()
    {
        var customer = await _client.CreateUserAsync();
        using (var me = _client.As(customer))
        {
            var profile = await me.GetFromJsonAsync<JsonElement>("/api/users/me");
            Assert.Equal((customer.Id, customer.Email, "customer"),
                (profile.GetProperty("id").GetGuid(), profile.GetProperty("email").GetString(), profile.GetProperty("role").GetString()));
        }

        using var refreshed = await Deployment.Gateway.PostAsJsonAsync("/api/users/refresh", new { refreshToken = customer.Tokens.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var pair = (await refreshed.Content.ReadFromJsonAsync<TokenPair>())!;
        using var replayed = await Deployment.Gateway.PostAsJsonAsync("/api/users/refresh", new { refreshToken = customer.Tokens.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);

        var fresh = await _client.LoginAsync(customer.Email, customer.Password);
        using var logout = await Deployment.Gateway.PostAsJsonAsync("/api/users/logout", new { refreshToken = fresh.RefreshToken });
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        using var afterLogout = await Deployment.Gateway.PostAsJsonAsync("/api/users/refresh", new { refreshToken = fresh.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, afterLogout.StatusCode);
        Assert.NotEqual(pair.AccessToken, fresh.AccessToken);
    }

    [Fact]
    public async Task A_service_called_directly_checks_the_token_itself()
    {
        var customer = await _client.CreateUserAsync();
        var direct = new Uri($"http://localhost:{Deployment.Ports["order"]}");
        async Task<HttpStatusCode> CallAsync(string? token)
        {
            using var client = new HttpClient { BaseAddress = direct };
            if (token is not null)
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.GetAsync("/api/orders");
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await CallAsync(customer.Tokens.AccessToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(null));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync(TokenTampering.WithClaim(customer.Tokens.AccessToken, "role", "admin")));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync("not.a.token"));
    }

    [Fact]
    public async Task Customer_a_can_neither_see_nor_cancel_nor_place_orders_of_customer_b()
    {
        var a = await _client.CreateUserAsync();
        var b = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(4m);
        var ordersOfB = await _client.PlaceOrderAsync(b, product, 1);
        await _client.WaitForOutcomeAsync(ordersOfB);
        using var asA = _client.As(a);

        foreach (var path in new[] { $"/api/orders/{ordersOfB}", $"/order/status/{ordersOfB}", $"/api/orders/{ordersOfB}/status", $"/api/users/{b.Id}" })
        {
            using var response = await asA.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
        }
        using (var cancel = await asA.PostAsync($"/api/orders/{ordersOfB}/cancel", null))
            Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.Equal(0, (await asA.GetFromJsonAsync<JsonElement>($"/api/orders?userId={b.Id}")).GetArrayLength());
        Assert.Equal(0, (await asA.GetFromJsonAsync<JsonElement>($"/api/payments?orderId={ordersOfB}")).GetArrayLength());
        Assert.Equal(0, (await asA.GetFromJsonAsync<JsonElement>($"/api/notifications?orderId={ordersOfB}&userId={b.Id}")).GetArrayLength());

        // A userId in the body does not make it B's order: it is A's.
        using var placed = await asA.PostAsJsonAsync("/order", new { userId = b.Id, items = new[] { new { productId = product, quantity = 1 } } });
        var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetGuid();
        Assert.Equal(a.Id, (await asA.GetFromJsonAsync<Order>($"/api/orders/{orderId}"))!.UserId);
        using var asB = _client.As(b);
        Assert.Equal(1, (await asB.GetFromJsonAsync<JsonElement>("/api/orders")).GetArrayLength());

        using var asAdmin = _client.As(await _client.AdminAsync());
        Assert.Equal(HttpStatusCode.OK, (await asAdmin.GetAsync($"/api/orders/{ordersOfB}")).StatusCode);
    }

    [Fact]
    public async Task The_same_idempotency_key_twice_creates_one_order_and_answers_the_same()
    {
        var customer = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(3m);
        using var client = _client.As(customer);
        var key = Guid.NewGuid().ToString();
        async Task<HttpResponseMessage> PostAsync(int quantity)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/order")
            {
                Content = JsonContent.Create(new { items = new[] { new { productId = product, quantity } } }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await client.SendAsync(request);
        }

        using var first = await PostAsync(1);
        using var second = await PostAsync(1);
        using var different = await PostAsync(2);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, second.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, different.StatusCode);
        Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>("/api/orders")).GetArrayLength());
    }

    [Fact]
    public async Task Twenty_concurrent_requests_with_one_idempotency_key_create_one_order()
    {
        var customer = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(3m);
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var client = _client.As(customer);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/order")
            {
                Content = JsonContent.Create(new { items = new[] { new { productId = product, quantity = 1 } } }),
            };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await client.SendAsync(request);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"{r.StatusCode}: {r.Body}"));
        Assert.Single(responses.Where(r => r.StatusCode == HttpStatusCode.Accepted).Select(r => r.Body).Distinct());
        using var reader = _client.As(customer);
        Assert.Equal(1, (await reader.GetFromJsonAsync<JsonElement>("/api/orders")).GetArrayLength());
    }

    [Fact]
    public async Task Brute_forcing_a_password_is_stopped_with_429()
    {
        var customer = await _client.CreateUserAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++)
        {
            using var response = await Deployment.Gateway.PostAsJsonAsync("/api/users/login", new { email = customer.Email, password = $"wrong guess {i}" });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        }
        using var rightPassword = await Deployment.Gateway.PostAsJsonAsync("/api/users/login", new { email = customer.Email, password = customer.Password });

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.TooManyRequests, rightPassword.StatusCode);
    }

    private const string DemoProduct = "/api/products/0b0e7a1e-0000-4000-8000-000000000102";

    /// <summary>Hostile bodies, names and query strings, each sent to a public endpoint that takes input.</summary>
    public static TheoryData<string, string, string, string> HostileInputs()
    {
        var deep = new string('[', 5000) + new string(']', 5000);
        var huge = $"{{\"items\":[{string.Join(',', Enumerable.Repeat("{\"productId\":\"0b0e7a1e-0000-4000-8000-000000000101\",\"quantity\":1}", 20_000))}]}}";
        // As JSON string literals: a lone surrogate can only be written as an escape.
        var names = new[]
        {
            "<script>alert(1)</script>", "Robert'); DROP TABLE users;--", "' OR '1'='1", "Ada\u202Eevil", "zero\u200Bwidth",
            "null\u0000byte", "{{7*7}}", new string('A', 201), "   ",
        }.Select(n => JsonSerializer.Serialize(n)).Append("\"\\uD800broken\"");
        var data = new TheoryData<string, string, string, string>();
        foreach (var json in names)
        {
            data.Add("register", "anonymous", "/api/users/register", $"{{\"email\":\"h{Guid.NewGuid():N}@example.com\",\"name\":{json},\"password\":\"long enough password\"}}");
            data.Add("product", "admin", "/api/products", $"{{\"name\":{json},\"price\":1,\"stock\":1}}");
            data.Add("product update", "admin", $"PUT {DemoProduct}", $"{{\"name\":{json},\"price\":1,\"stock\":1}}");
        }
        foreach (var (what, body) in new[] { ("deep", deep), ("huge", huge), ("wrong types", "{\"items\":\"all of them\"}"), ("not json", "<xml/>"), ("empty", "") })
        {
            data.Add($"order {what}", "customer", "/order", body);
            data.Add($"register {what}", "anonymous", "/api/users/register", body);
            data.Add($"login {what}", "anonymous", "/api/users/login", body);
            data.Add($"refresh {what}", "anonymous", "/api/users/refresh", body);
            data.Add($"product {what}", "admin", "/api/products", body);
            data.Add($"product update {what}", "admin", $"PUT {DemoProduct}", body);
            data.Add($"logout {what}", "anonymous", "/api/users/logout", body);
        }
        foreach (var query in new[]
        {
            $"/api/products?name={new string('x', 300)}", "/api/products?minPrice=abc", "/api/products?sort=name;DROP%20TABLE%20products",
            "/api/products?pageSize=100000", "/api/products?ids='%20OR%201=1", "/api/notifications?orderId=abc",
            "/api/payments?orderId=%3Cscript%3E", $"/order/status/{Guid.Empty}?waitSeconds=abc", $"/order/status/{Guid.Empty}?waitSeconds=99999",
        })
            data.Add($"query {query}", "customer", $"GET {query}", "");
        data.Add("cancel of a non-id", "customer", "POST /api/orders/'%20OR%201=1/cancel", "");
        data.Add("login sql", "anonymous", "/api/users/login", "{\"email\":\"' OR 1=1 --\",\"password\":\"' OR 1=1 --\"}");
        data.Add("email with markup", "anonymous", "/api/users/register", "{\"email\":\"<b>@example.com\",\"name\":\"Ada\",\"password\":\"long enough password\"}");
        data.Add("order key too long", "customer", "/order?idempotency", "{\"items\":[{\"productId\":\"0b0e7a1e-0000-4000-8000-000000000101\",\"quantity\":1}]}");
        return data;
    }

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public async Task Hostile_input_gets_a_4xx_problem_and_stores_nothing(string what, string caller, string path, string body)
    {
        var customer = await _client.CreateUserAsync();
        using var client = caller switch
        {
            "admin" => _client.As(await _client.AdminAsync()),
            "customer" => _client.As(customer),
            _ => new HttpClient { BaseAddress = Deployment.Gateway.BaseAddress },
        };
        var (method, target) = path.Split(' ', 2) is [var verb, var rest] ? (new HttpMethod(verb), rest) : (HttpMethod.Post, path);
        using var request = new HttpRequestMessage(method, target.Replace("?idempotency", ""));
        if (method != HttpMethod.Get)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (method == HttpMethod.Put)
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Any);
        if (path.EndsWith("?idempotency", StringComparison.Ordinal))
            request.Headers.Add("Idempotency-Key", new string('k', 300));
        // The gateway answers an oversized body's 413 before reading it and then closes the connection; a client
        // that has not asked first (Expect: 100-continue) may still be writing and see a broken pipe instead.
        if (body.Length > 64 * 1024)
            request.Headers.ExpectContinue = true;

        using var response = await client.SendAsync(request);

        var code = (int)response.StatusCode;
        Assert.True(code is >= 400 and < 500, $"{what}: {code} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var mine = _client.As(customer);
        Assert.Equal(0, (await mine.GetFromJsonAsync<JsonElement>("/api/orders")).GetArrayLength());
        if (path == "/api/users/register" && body.Contains("\"email\":\"h", StringComparison.Ordinal))
        {
            var email = JsonDocument.Parse(body).RootElement.GetProperty("email").GetString();
            using var login = await Deployment.Gateway.PostAsJsonAsync("/api/users/login", new { email, password = "long enough password" });
            Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        }
        if (method == HttpMethod.Put)
            Assert.Equal("Pour-over kettle", (await Deployment.Gateway.GetFromJsonAsync<JsonElement>(DemoProduct)).GetProperty("name").GetString());
        if (path == "/api/products" && body.StartsWith("{\"name\":", StringComparison.Ordinal) && ReadableName(body) is { } name)
        {
            var page = await Deployment.Gateway.GetFromJsonAsync<JsonElement>($"/api/products?name={Uri.EscapeDataString(name[..Math.Min(name.Length, 200)])}&pageSize=100");
            Assert.DoesNotContain(page.GetProperty("items").EnumerateArray(), p => p.GetProperty("name").GetString() == name);
        }
    }

    // The name as a searchable string, or null when it is blank or not valid text at all (a lone surrogate).
    private static string? ReadableName(string body)
    {
        try
        {
            var name = JsonDocument.Parse(body).RootElement.GetProperty("name").GetString()!.Trim();
            return name.Length > 0 && !name.Any(char.IsSurrogate) && !name.Any(char.IsControl) ? name : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
