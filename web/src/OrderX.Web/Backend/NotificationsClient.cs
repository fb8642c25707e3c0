namespace OrderX.Web.Backend;

public sealed class NotificationsClient(HttpClient http)
{
    public Task<ApiResult<List<Notification>>> OfOrderAsync(Guid orderId, string accessToken, CancellationToken cancellationToken) =>
        ApiCalls.SendAsync<List<Notification>>(http, new HttpRequestMessage(HttpMethod.Get, $"/api/notifications?orderId={orderId}"), accessToken, cancellationToken);
}
