namespace OrderX.Web.Backend;

/// <summary>The order service, as the signed-in customer.</summary>
public sealed class OrdersClient(HttpClient http)
{
    public Task<ApiResult<OrderAccepted>> PlaceAsync(IEnumerable<(Guid ProductId, int Quantity)> lines, string idempotencyKey, string accessToken, CancellationToken cancellationToken)
    {
        var request = ApiCalls.Json(HttpMethod.Post, "/api/orders", new { items = lines.Select(l => new { productId = l.ProductId, quantity = l.Quantity }) });
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return ApiCalls.SendAsync<OrderAccepted>(http, request, accessToken, cancellationToken);
    }

    public Task<ApiResult<List<Order>>> MineAsync(string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<List<Order>>(http, new HttpRequestMessage(HttpMethod.Get, "/api/orders"), accessToken, cancellationToken);

    /// <summary>Everyone's latest orders, of one status if given: the administrator's view.</summary>
    public Task<ApiResult<List<Order>>> LatestAsync(string? status, string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<List<Order>>(http, new HttpRequestMessage(HttpMethod.Get,
            $"/api/orders?all=true&limit=50{(string.IsNullOrEmpty(status) ? "" : $"&status={Uri.EscapeDataString(status)}")}"), accessToken, cancellationToken);

    public Task<ApiResult<Order>> GetAsync(Guid id, string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<Order>(http, new HttpRequestMessage(HttpMethod.Get, $"/api/orders/{id}"), accessToken, cancellationToken);

    public Task<ApiResult<Order>> CancelAsync(Guid id, string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<Order>(http, new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{id}/cancel"), accessToken, cancellationToken);
}
