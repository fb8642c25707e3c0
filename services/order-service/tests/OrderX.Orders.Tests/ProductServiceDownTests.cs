using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using OrderX.Testing;

namespace OrderX.Orders.Tests;

/// <summary>
/// The real order service on a real port, with nothing listening where the product service should be: placing an
/// order meets a dependency that does not answer, which the shared exception handling turns into a 503.
/// </summary>
public sealed class ProductServiceDownTests : IAsyncLifetime
{
    private readonly int _nobodyListens = FreePorts.Take(1)[0];
    private OrderServiceUnderTest? _orderService;

    [Fact]
    public async Task An_order_whose_products_cannot_be_checked_is_answered_503_with_retry_after_and_nothing_is_kept()
    {
        using var client = _orderService!.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Mint(_orderService.IssuerKey));
        var order = new { items = new[] { new { productId = Guid.NewGuid(), quantity = 1 } } };

        using var first = await PostAsync(client, order, "key-1");
        using var retried = await PostAsync(client, order, "key-1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal("application/problem+json", first.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(first.Headers.RetryAfter);
        Assert.Contains("did not answer", await first.Content.ReadAsStringAsync());
        // The key was freed: the retry is tried again (503 again), not held as "still in progress" (409).
        Assert.Equal(HttpStatusCode.ServiceUnavailable, retried.StatusCode);
        Assert.Equal("[]", await client.GetStringAsync("/api/orders"));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, object order, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(order) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    public async Task InitializeAsync() =>
        _orderService = await OrderServiceUnderTest.StartAsync($"--Services:product:Url=http://localhost:{_nobodyListens}", "--Logging:LogLevel:Default=Error");

    public async Task DisposeAsync()
    {
        if (_orderService is not null)
            await _orderService.DisposeAsync();
    }
}
