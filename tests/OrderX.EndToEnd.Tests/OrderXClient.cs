using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrderX.EndToEnd.Tests;

public sealed record OrderStatus(Guid OrderId, string Status, string Message);

public sealed record Notification(Guid Id, Guid OrderId, string Email, string Kind, string Subject);

public sealed record Payment(Guid Id, Guid OrderId, decimal Amount, string Status);

public sealed record Product(Guid Id, string Name, decimal Price, int Stock, int Reserved, int Available, bool Deleted);

public sealed record OrderHistoryEntry(DateTime At, string Status, string Cause, string Detail);

public sealed record Order(Guid Id, string Status, string Message, string? CancelReason, decimal Total, string? Payment, string? Stock, List<OrderHistoryEntry>? History);

/// <summary>What a customer's or an operator's HTTP client does, through the gateway only.</summary>
public sealed class OrderXClient(HttpClient gateway)
{
    public async Task<Guid> CreateUserAsync()
    {
        var email = $"e2e-{Guid.NewGuid():N}@example.com";
        using var response = await gateway.PostAsJsonAsync("/api/users", new { email, name = "E2E Customer" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<Guid> CreateProductAsync(decimal price, int stock = 1000)
    {
        using var response = await gateway.PostAsJsonAsync("/api/products", new { name = $"E2E product {price}", price, stock });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<Guid> PlaceOrderAsync(Guid userId, Guid productId, int quantity)
    {
        using var response = await gateway.PostAsJsonAsync("/order", new { userId, items = new[] { new { productId, quantity } } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", body.GetProperty("status").GetString());
        var orderId = body.GetProperty("orderId").GetGuid();
        Assert.Equal($"/order/status/{orderId}", response.Headers.Location?.ToString());
        return orderId;
    }

    public async Task<Product> ProductAsync(Guid productId) =>
        (await gateway.GetFromJsonAsync<Product>($"/api/products/{productId}"))!;

    public async Task<Order> OrderAsync(Guid orderId) =>
        (await gateway.GetFromJsonAsync<Order>($"/api/orders/{orderId}"))!;

    /// <summary>Polls until <paramref name="done"/> holds for what <paramref name="read"/> returns, and returns that.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"{what} did not happen within {timeoutSeconds} s; last seen: {value}");
            await Task.Delay(50);
        }
    }

    public async Task<OrderStatus> StatusAsync(Guid orderId) =>
        (await gateway.GetFromJsonAsync<OrderStatus>($"/order/status/{orderId}"))!;

    /// <summary>Polls the seed's status route until the order leaves <c>pending</c>.</summary>
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

    public async Task<List<Notification>> NotificationsAsync(Guid orderId) =>
        (await gateway.GetFromJsonAsync<List<Notification>>($"/api/notifications?orderId={orderId}"))!;

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

    public async Task<List<Payment>> PaymentsAsync(Guid orderId) =>
        (await gateway.GetFromJsonAsync<List<Payment>>($"/api/payments?orderId={orderId}"))!;
}
