using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrderX.EndToEnd.Tests;

public sealed record OrderStatus(Guid OrderId, string Status, string Message);

public sealed record Notification(Guid Id, Guid OrderId, string Email, string Kind, string Subject);

public sealed record Payment(Guid Id, Guid OrderId, decimal Amount, string Status);

public sealed record Product(Guid Id, string Name, decimal Price, int Stock, int Reserved, int Available, bool Deleted);

public sealed record OrderHistoryEntry(DateTime At, string Status, string Cause, string Detail);

public sealed record Order(Guid Id, Guid UserId, string Status, string Message, string? CancelReason, decimal Total, string? Payment, string? Stock, List<OrderHistoryEntry>? History);

/// <summary>One step as the order's event stream sends it.</summary>
public sealed record OrderStep(long Id, DateTime At, string Status, string Cause, string Detail);

public sealed record TokenPair(string AccessToken, string TokenType, int ExpiresIn, string RefreshToken, int RefreshExpiresIn);

/// <summary>A signed-in account as a client holds it.</summary>
public sealed record Customer(Guid Id, string Email, string Password, TokenPair Tokens);

/// <summary>
/// What a customer's or an operator's HTTP client does, through the gateway only: register, sign in, and call
/// the API with the bearer token. It remembers who placed which order, so that reads go out as the owner.
/// </summary>
public sealed class OrderXClient(HttpClient gateway, string adminEmail, string adminPassword)
{
    public const string Password = "e2e correct horse battery";
    private static readonly SocketsHttpHandler Handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
    private readonly ConcurrentDictionary<Guid, Customer> _owners = new();
    private Customer? _admin;

    /// <summary>An HTTP client that sends <paramref name="account"/>'s access token.</summary>
    public HttpClient As(Customer account)
    {
        var client = new HttpClient(Handler, disposeHandler: false) { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(40) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", account.Tokens.AccessToken);
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public async Task<Customer> CreateUserAsync()
    {
        var email = $"e2e-{Guid.NewGuid():N}@example.com";
        using var response = await gateway.PostAsJsonAsync("/api/users/register", new { email, name = "E2E Customer", password = Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        return new Customer(id, email, Password, await LoginAsync(email, Password));
    }

    public async Task<TokenPair> LoginAsync(string email, string password)
    {
        using var response = await gateway.PostAsJsonAsync("/api/users/login", new { email, password });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"sign-in of {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<TokenPair>())!;
    }

    public async Task<Customer> AdminAsync()
    {
        if (_admin is not null)
            return _admin;
        var tokens = await LoginAsync(adminEmail, adminPassword);
        using var me = As(new Customer(Guid.Empty, adminEmail, adminPassword, tokens));
        var id = (await me.GetFromJsonAsync<JsonElement>("/api/users/me")).GetProperty("id").GetGuid();
        return _admin = new Customer(id, adminEmail, adminPassword, tokens);
    }

    public async Task<Guid> CreateProductAsync(decimal price, int stock = 1000, string? name = null)
    {
        using var admin = As(await AdminAsync());
        using var response = await admin.PostAsJsonAsync("/api/products", new { name = name ?? $"E2E product {price}", price, stock });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <param name="traceParent">A W3C trace context the request carries, as a traced caller's would.</param>
    /// <param name="correlationId">An <c>X-Correlation-Id</c> the request carries.</param>
    public async Task<Guid> PlaceOrderAsync(Customer customer, Guid productId, int quantity, string? traceParent = null, string? correlationId = null)
    {
        using var client = As(customer);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/order") { Content = JsonContent.Create(new { items = new[] { new { productId, quantity } } }) };
        if (traceParent is not null)
            request.Headers.Add("traceparent", traceParent);
        if (correlationId is not null)
            request.Headers.Add("X-Correlation-Id", correlationId);
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", body.GetProperty("status").GetString());
        var orderId = body.GetProperty("orderId").GetGuid();
        Assert.Equal($"/order/status/{orderId}", response.Headers.Location?.ToString());
        _owners[orderId] = customer;
        return orderId;
    }

    /// <summary>Who placed the order (as this client saw it placed).</summary>
    public Customer OwnerOf(Guid orderId) => _owners[orderId];

    public async Task<Product> ProductAsync(Guid productId) =>
        (await gateway.GetFromJsonAsync<Product>($"/api/products/{productId}"))!;

    public Task<Order> OrderAsync(Guid orderId) => GetAsOwnerAsync<Order>(orderId, $"/api/orders/{orderId}");

    /// <summary>Any order, read by the administrator (one placed in the browser has no owner known here).</summary>
    public async Task<Order> OrderAsAdminAsync(Guid orderId)
    {
        using var admin = As(await AdminAsync());
        return (await admin.GetFromJsonAsync<Order>($"/api/orders/{orderId}"))!;
    }

    public Task<OrderStatus> StatusAsync(Guid orderId) => GetAsOwnerAsync<OrderStatus>(orderId, $"/order/status/{orderId}");

    public Task<List<Notification>> NotificationsAsync(Guid orderId) => GetAsOwnerAsync<List<Notification>>(orderId, $"/api/notifications?orderId={orderId}");

    public Task<List<Payment>> PaymentsAsync(Guid orderId) => GetAsOwnerAsync<List<Payment>>(orderId, $"/api/payments?orderId={orderId}");

    private async Task<T> GetAsOwnerAsync<T>(Guid orderId, string path)
    {
        using var client = As(OwnerOf(orderId));
        return (await client.GetFromJsonAsync<T>(path))!;
    }

    /// <summary>Polls the status route the original flow specification names (<c>/order/status/{id}</c>) until the order leaves <c>pending</c>.</summary>
    public async Task<OrderStatus> WaitForOutcomeAsync(Guid orderId, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var status = await StatusAsync(orderId);
            if (status.Status != "pending")
                return status;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"order {orderId} is still pending after {timeoutSeconds} s");
            await Task.Delay(20);
        }
    }

    /// <summary>Opens the order's event stream as its owner (or as <paramref name="viewer"/>), resuming after <paramref name="lastEventId"/>.</summary>
    public async Task<(HttpResponseMessage Response, OrderX.Testing.EventStream? Stream)> OpenEventsAsync(Guid orderId, long? lastEventId = null, Customer? viewer = null)
    {
        // Not disposed while the stream is read: disposing a client cancels what it still has in flight.
        var client = new HttpClient(Handler, disposeHandler: false) { BaseAddress = gateway.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        return await OrderX.Testing.EventStream.OpenAsync(client, $"/api/orders/{orderId}/events",
            (viewer ?? _owners[orderId]).Tokens.AccessToken, lastEventId?.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Waits until the order service has put a step with this cause into the order's history. A notification row
    /// exists before its notification.sent reaches the order service, so it does not prove the history has the e-mail.
    /// </summary>
    public Task<Order> WaitForStepAsync(Guid orderId, string cause, int timeoutSeconds = 30) =>
        OrderX.Testing.Eventually.ValueAsync(() => OrderAsync(orderId), o => o.History?.Any(h => h.Cause == cause) == true,
            $"{cause} in the history of order {orderId}", timeoutSeconds);

    public async Task<List<Notification>> WaitForNotificationsAsync(Guid orderId, int timeoutSeconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var notifications = await NotificationsAsync(orderId);
            if (notifications.Count > 0 || DateTime.UtcNow > deadline)
                return notifications;
            await Task.Delay(50);
        }
    }
}
