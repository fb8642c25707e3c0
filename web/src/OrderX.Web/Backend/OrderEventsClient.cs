using System.Net.Http.Headers;

namespace OrderX.Web.Backend;

/// <summary>
/// Opens an order's event stream at the order service. A client of its own: no per-attempt timeout or retry, which
/// would cut a stream that is meant to stay open.
/// </summary>
public sealed class OrderEventsClient(HttpClient http)
{
    public async Task<HttpResponseMessage> OpenAsync(Guid orderId, string? lastEventId, long? after, string accessToken, CancellationToken cancellationToken)
    {
        var path = $"/api/orders/{orderId}/events" + (after is { } id ? $"?after={id}" : "");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (!string.IsNullOrEmpty(lastEventId))
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
