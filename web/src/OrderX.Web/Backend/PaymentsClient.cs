namespace OrderX.Web.Backend;

public sealed class PaymentsClient(HttpClient http)
{
    public Task<ApiResult<List<Payment>>> OfOrderAsync(Guid orderId, string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<List<Payment>>(http, new HttpRequestMessage(HttpMethod.Get, $"/api/payments?orderId={orderId}"), accessToken, cancellationToken);
}
