using OrderX.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrderX.EndToEnd.Tests;

/// <summary>Stock, compensation and the catalog, through the gateway's HTTP port, in each run mode.</summary>
public abstract partial class OrderFlowTests<TDeployment>
{
    [Fact]
    public async Task Fifty_concurrent_orders_for_ten_units_sell_exactly_ten_and_refund_every_other_charge()
    {
        var product = await _client.CreateProductAsync(7.50m, stock: 10);
        var users = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _client.CreateUserAsync()));

        var orderIds = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => _client.PlaceOrderAsync(users[i % users.Length], product, 1)));
        var outcomes = await Task.WhenAll(orderIds.Select(id => _client.WaitForOutcomeAsync(id, timeoutSeconds: 60)));

        Assert.Equal(10, outcomes.Count(o => o.Status == "paid"));
        Assert.Equal(40, outcomes.Count(o => o.Status == "cancelled" && o.Message.StartsWith("Out of stock", StringComparison.Ordinal)));
        var shelf = await Eventually.ValueAsync(() => _client.ProductAsync(product), p => p.Stock == 0 && p.Reserved == 0, "ten sales");
        Assert.Equal(0, shelf.Available);

        var paid = outcomes.Where(o => o.Status == "paid").Select(o => o.OrderId).ToHashSet();
        var payments = await Eventually.ValueAsync(
            async () => (await Task.WhenAll(orderIds.Select(_client.PaymentsAsync))).SelectMany(p => p).ToList(),
            all => all.Count == 50 && all.All(p => paid.Contains(p.OrderId) ? p.Status == "succeeded" : p.Status == "refunded"),
            "every charge of a cancelled order refunded", timeoutSeconds: 60);
        var kept = payments.Where(p => p.Status == "succeeded").Sum(p => p.Amount);
        Assert.Equal(10 * 7.50m, kept);
        Output.WriteLine($"{Deployment.Mode}: reservations per product process: {string.Join(", ", Deployment.ReservationsPerProductProcess())}");
    }

    [Fact]
    public async Task Orders_left_pending_while_payment_is_down_are_cancelled_by_the_customer_or_the_timeout_and_late_charges_refunded()
    {
        var user = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(12m, stock: 10);
        await Deployment.StopPaymentServiceAsync();
        Guid byCustomer, byTimeout;
        try
        {
            byCustomer = await _client.PlaceOrderAsync(user, product, 3);
            byTimeout = await _client.PlaceOrderAsync(user, product, 2);

            using var customer = _client.As(user);
            using var cancel = await customer.PostAsync($"/api/orders/{byCustomer}/cancel", null);
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            var cancelled = (await cancel.Content.ReadFromJsonAsync<Order>())!;
            Assert.Equal(("cancelled", "customer_request"), (cancelled.Status, cancelled.CancelReason));

            var timedOut = await _client.WaitForOutcomeAsync(byTimeout, timeoutSeconds: (int)OrderXDeployment.PendingTimeout.TotalSeconds + 20);
            Assert.Equal("cancelled", timedOut.Status);
            Assert.Equal("timeout", (await _client.OrderAsync(byTimeout)).CancelReason);
            // Whatever was reserved went back to the shelf.
            var shelf = await Eventually.ValueAsync(() => _client.ProductAsync(product), p => p.Reserved == 0, "the releases");
            Assert.Equal((10, 10), (shelf.Stock, shelf.Available));
        }
        finally
        {
            await Deployment.StartPaymentServiceAsync();
        }

        // The payment service catches up on order.created and charges both; both charges are stale and given back.
        foreach (var orderId in new[] { byCustomer, byTimeout })
        {
            var payment = await Eventually.ValueAsync(async () => (await _client.PaymentsAsync(orderId)).SingleOrDefault(),
                p => p?.Status == "refunded", $"the refund of order {orderId}", timeoutSeconds: 60);
            Assert.NotNull(payment);
            Assert.Equal("cancelled", (await _client.StatusAsync(orderId)).Status);
            var kinds = await Eventually.ValueAsync(async () => (await _client.NotificationsAsync(orderId)).Select(n => n.Kind).Order().ToList(),
                k => k.Count == 2, "both e-mails");
            Assert.Equal(["order_cancelled", "payment_refunded"], kinds);
        }
        Assert.Equal(0, (await _client.ProductAsync(product)).Reserved);
    }

    [Fact]
    public async Task A_paid_order_cannot_be_cancelled_and_an_unknown_one_is_not_found()
    {
        var user = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(2m);
        var orderId = await _client.PlaceOrderAsync(user, product, 1);
        Assert.Equal("paid", (await _client.WaitForOutcomeAsync(orderId)).Status);

        using var customer = _client.As(user);
        using var paid = await customer.PostAsync($"/api/orders/{orderId}/cancel", null);
        using var unknown = await customer.PostAsync($"/api/orders/{Guid.NewGuid()}/cancel", null);

        Assert.Equal((HttpStatusCode.Conflict, "application/problem+json"), (paid.StatusCode, paid.Content.Headers.ContentType?.MediaType));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("paid", (await _client.StatusAsync(orderId)).Status);
    }

    [Fact]
    public async Task An_admin_edits_the_catalog_with_etags_and_a_deleted_product_can_no_longer_be_ordered()
    {
        var productId = await _client.CreateProductAsync(10m, stock: 4);
        using var read = await Deployment.Gateway.GetAsync($"/api/products/{productId}");
        var etag = read.Headers.ETag!;

        using var update = await PutProductAsync(productId, etag, new { name = "Renamed mug", price = 11.5m, stock = 6 });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.NotEqual(etag, update.Headers.ETag);
        using var stale = await PutProductAsync(productId, etag, new { name = "Lost update", price = 1m, stock = 1 });
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        using var unconditional = await PutProductAsync(productId, null, new { name = "Blind write", price = 1m, stock = 1 });
        Assert.Equal(HttpStatusCode.PreconditionRequired, unconditional.StatusCode);
        var product = await _client.ProductAsync(productId);
        Assert.Equal(("Renamed mug", 11.5m, 6), (product.Name, product.Price, product.Stock));

        var page = await Deployment.Gateway.GetFromJsonAsync<JsonElement>("/api/products?name=renamed%20MUG&sort=-price&pageSize=5");
        Assert.Contains(page.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetGuid() == productId);

        using var admin = _client.As(await _client.AdminAsync());
        using var delete = await admin.DeleteAsync($"/api/products/{productId}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var gone = await Deployment.Gateway.GetAsync($"/api/products/{productId}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var customer = _client.As(await _client.CreateUserAsync());
        using var order = await customer.PostAsJsonAsync("/order", new { items = new[] { new { productId, quantity = 1 } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, order.StatusCode);
    }

    private async Task<HttpResponseMessage> PutProductAsync(Guid productId, EntityTagHeaderValue? ifMatch, object body)
    {
        using var admin = _client.As(await _client.AdminAsync());
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/products/{productId}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
            request.Headers.IfMatch.Add(ifMatch);
        return await admin.SendAsync(request);
    }
}
