using OrderX.Testing;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace OrderX.EndToEnd.Tests;

/// <summary>
/// Everything a user of OrderX sees through the gateway's HTTP port, in each run mode: the event flow
/// (<see cref="EventFlowTests{TDeployment}"/>) and the API around it.
/// </summary>
public abstract partial class OrderFlowTests<TDeployment>(TDeployment deployment, ITestOutputHelper output)
    : EventFlowTests<TDeployment>(deployment, output) where TDeployment : OrderXDeployment
{
    private readonly OrderXClient _client = new(deployment.Gateway, OrderXDeployment.AdminEmail, OrderXDeployment.AdminPassword);

    [Fact]
    public async Task A_client_can_wait_for_the_outcome_with_one_long_poll()
    {
        var user = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(3m);
        var orderId = await _client.PlaceOrderAsync(user, product, 1);

        using var customer = _client.As(user);
        var status = await customer.GetFromJsonAsync<OrderStatus>($"/order/status/{orderId}?waitSeconds=20");

        Assert.Equal(new OrderStatus(orderId, "paid", "Order Completed Successfully"), status);
    }

    [Fact]
    public async Task Concurrent_orders_are_each_charged_exactly_once()
    {
        var user = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(5m);

        var orderIds = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _client.PlaceOrderAsync(user, product, 1)));
        var outcomes = await Task.WhenAll(orderIds.Select(id => _client.WaitForOutcomeAsync(id, timeoutSeconds: 60)));

        Assert.All(outcomes, o => Assert.Equal("paid", o.Status));
        foreach (var orderId in orderIds)
            Assert.Single(await _client.PaymentsAsync(orderId));
        var charges = Deployment.ChargesPerPaymentProcess();
        Output.WriteLine($"{Deployment.Mode}: charges per payment process: {string.Join(", ", charges)}");
        Assert.All(charges, c => Assert.True(c > 0, $"every payment process should take a share of the work: {string.Join(", ", charges)}"));
    }

    public static TheoryData<string, string, string, string, int> BadRequests() => new()
    {
        { "customer", "POST", "/order", "{\"items\":", 400 },
        { "customer", "POST", "/order", "[1,2,3]", 400 },
        { "customer", "POST", "/order", "{\"userId\":\"not-a-guid\",\"items\":[]}", 400 },
        { "customer", "POST", "/order", "{\"items\":[]}", 400 },
        { "customer", "POST", "/order", "{}", 400 },
        { "customer", "POST", "/order", "{\"items\":[{\"productId\":\"{product}\",\"quantity\":0}]}", 400 },
        { "customer", "POST", "/order", "{\"items\":[{\"productId\":\"{product}\",\"quantity\":-2}]}", 400 },
        { "customer", "POST", "/order", "{\"items\":[{\"productId\":\"{product}\",\"quantity\":\"two\"}]}", 400 },
        { "customer", "POST", "/order", "{\"items\":[{\"productId\":\"{random}\",\"quantity\":1}]}", 422 },
        { "customer", "POST", "/api/orders", "{\"items\":[{\"productId\":\"{random}\",\"quantity\":1}]}", 422 },
        { "customer", "GET", "/order/status/{random}", "", 404 },
        { "customer", "GET", "/order/status/not-a-guid", "", 404 },
        { "customer", "GET", "/api/orders/{random}", "", 404 },
        { "customer", "GET", "/api/users/{random}", "", 404 },
        { "customer", "GET", "/api/products/{random}", "", 404 },
        { "customer", "GET", "/api/payments", "", 400 },
        { "customer", "POST", "/api/products", "{\"name\":\"x\",\"price\":1,\"stock\":1}", 403 },
        { "admin", "POST", "/api/products", "{\"name\":\"x\",\"price\":-1,\"stock\":1}", 400 },
        { "anonymous", "POST", "/api/users/register", "{\"email\":\"nope\",\"name\":\"x\",\"password\":\"long enough password\"}", 400 },
        { "anonymous", "POST", "/order", "{\"items\":[{\"productId\":\"{product}\",\"quantity\":1}]}", 401 },
        { "anonymous", "GET", "/api/orders", "", 401 },
        { "anonymous", "GET", "/no/such/route", "", 404 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_gets_a_clear_problem_details_answer_never_a_500(string caller, string method, string path, string body, int expected)
    {
        var product = await _client.CreateProductAsync(1m);
        using var client = caller switch
        {
            "admin" => _client.As(await _client.AdminAsync()),
            "customer" => _client.As(await _client.CreateUserAsync()),
            _ => new HttpClient { BaseAddress = Deployment.Gateway.BaseAddress },
        };
        string Fill(string text) => text.Replace("{product}", $"{product}").Replace("{random}", $"{Guid.NewGuid()}");
        using var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
        if (method == "POST")
            request.Content = new StringContent(Fill(body), Encoding.UTF8, "application/json");

        using var response = await client.SendAsync(request);

        Assert.Equal((HttpStatusCode)expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task The_gateway_serves_each_service_s_openapi_document_and_the_reference_that_reads_them()
    {
        foreach (var service in new[] { "user", "product", "order", "payment", "notification" })
        {
            var document = await Deployment.Gateway.GetFromJsonAsync<JsonElement>($"/openapi/{service}.json");
            Assert.StartsWith("3.", document.GetProperty("openapi").GetString());
            Assert.Equal($"OrderX {service} service", document.GetProperty("info").GetProperty("title").GetString());
            Assert.NotEmpty(document.GetProperty("paths").EnumerateObject());
        }

        // One page, one document per service to choose from; each read from the gateway's /openapi/<service>.json.
        using var page = await Deployment.Gateway.GetAsync("/docs/");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        foreach (var service in new[] { "user", "product", "order", "payment", "notification" })
            Assert.Contains($"\"url\":\"openapi/{service}.json\"", html);
        // Its script comes from the gateway itself, which the page's policy allows and nothing else.
        var script = Regex.Match(html, "<script[^>]+src=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(script);
        using var asset = await Deployment.Gateway.GetAsync(new Uri(new Uri(Deployment.Gateway.BaseAddress!, "/docs/"), script));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single());
        using var api = await Deployment.Gateway.GetAsync("/api/products");
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", api.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task A_refused_order_leaves_nothing_behind()
    {
        var user = await _client.CreateUserAsync();
        using var customer = _client.As(user);
        using var response = await customer.PostAsJsonAsync("/order", new { items = new[] { new { productId = Guid.NewGuid(), quantity = 1 } } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var orders = await customer.GetFromJsonAsync<JsonElement>("/api/orders");
        Assert.Equal(0, orders.GetArrayLength());
    }
}

[Collection("end-to-end")]
public sealed class EmbeddedOrderFlowTests(EmbeddedDeployment deployment, ITestOutputHelper output)
    : OrderFlowTests<EmbeddedDeployment>(deployment, output), IClassFixture<EmbeddedDeployment>
{
    [Fact]
    public async Task Off_a_terminal_every_log_line_is_a_json_object_and_the_flow_s_lines_name_the_order_and_its_correlation_id()
    {
        var client = new OrderXClient(Deployment.Gateway, OrderXDeployment.AdminEmail, OrderXDeployment.AdminPassword);
        var user = await client.CreateUserAsync();
        var product = await client.CreateProductAsync(4m);
        var correlationId = $"json-logs-{Guid.NewGuid():N}";

        var orderId = await client.PlaceOrderAsync(user, product, 1, correlationId: correlationId);
        Assert.Equal("paid", (await client.WaitForOutcomeAsync(orderId)).Status);
        await client.WaitForNotificationsAsync(orderId);

        // Parsing every line is the check that each is one JSON object (a stack trace included).
        var entries = await Eventually.ValueAsync(() => Task.FromResult(Deployment.LogEntries),
            all => all.Any(e => OrderOf(e) == orderId.ToString() && e.GetProperty("category").GetString() == "OrderX.Orders.Saga.OrderSaga"
                && e.GetProperty("values").GetProperty("Status").GetString() == "paid"), "the saga's line settling the order as paid");
        Assert.All(entries, e => Assert.True(e.TryGetProperty("timestamp", out _) && e.TryGetProperty("level", out _) && e.TryGetProperty("category", out _)));
        var aboutTheOrder = entries.Where(e => OrderOf(e) == orderId.ToString()).ToList();
        Output.WriteLine(string.Join('\n', aboutTheOrder.Select(e => e.GetRawText())));
        // A paid order's happy path: the saga's settling step, and the charge and the reservation (at Debug, on for these tests).
        Assert.Equal(["order", "payment", "product"], aboutTheOrder.Select(e => e.GetProperty("service").GetString()).Distinct().Order());
        Assert.All(aboutTheOrder, e => Assert.Equal(correlationId, e.GetProperty("correlationId").GetString()));
        Assert.Contains(aboutTheOrder, e => e.GetProperty("service").GetString() == "payment" && e.GetProperty("message").GetString()!.Contains(" charged ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dead_letter_of_the_in_process_bus_outlives_a_killed_process_and_its_replay_sends_the_email()
    {
        var client = new OrderXClient(Deployment.Gateway, OrderXDeployment.AdminEmail, OrderXDeployment.AdminPassword);
        var user = await client.CreateUserAsync();
        var product = await client.CreateProductAsync(2m);
        const string place = "notification.order.completed";
        Guid orderId;
        Deployment.Mail.Refusing = true;
        try
        {
            orderId = await client.PlaceOrderAsync(user, product, 1);
            Assert.Equal("paid", (await client.WaitForOutcomeAsync(orderId)).Status);
            using var before = Deployment.ServiceClient("notification", (await client.LoginAsync(OrderXDeployment.AdminEmail, OrderXDeployment.AdminPassword)).AccessToken);
            await WaitForDeadLetterAsync(before, place, orderId);
        }
        finally
        {
            Deployment.Mail.Refusing = false;
        }

        // Killed and started again (the payment part's restart restarts the one process).
        await Deployment.StartPaymentServiceAsync();

        using var after = Deployment.ServiceClient("notification", (await client.LoginAsync(OrderXDeployment.AdminEmail, OrderXDeployment.AdminPassword)).AccessToken);
        Assert.Equal(orderId.ToString(), Assert.Single((await WaitForDeadLetterAsync(after, place, orderId)).Messages).Subject);
        Assert.Equal(1, (await SettleAsync(after, place, "replay")).Messages);
        Assert.Single(await client.WaitForNotificationsAsync(orderId, timeoutSeconds: 60));
    }

    private static string? OrderOf(JsonElement entry) => entry.TryGetProperty("orderId", out var id) ? id.GetString() : null;
}

[Collection("end-to-end")]
public sealed class DistributedOrderFlowTests(DistributedDeployment deployment, ITestOutputHelper output)
    : OrderFlowTests<DistributedDeployment>(deployment, output), IClassFixture<DistributedDeployment>;
