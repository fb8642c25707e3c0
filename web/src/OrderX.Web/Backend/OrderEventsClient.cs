using System.Net.Http.Headers;

namespace OrderX.Web.Backend;

/// <summary>
/// Opens the order service's event streams: an order's steps, and the bus feed. A client of its own: no per-attempt
/// timeout or retry, which would cut a stream that is meant to stay open.
/// </summary>
public sealed class OrderEventsClient(HttpClient http)
{
    public async Task<HttpResponseMessage> OpenAsync(Guid orderId, string? lastEventId, long? after, string accessToken, CancellationToken cancellationToken)
    {
        var path = $"/api/orders/{orderId}/events" + (after is { } id ? $"?after={id}" : "");
        return await OpenAsync(path, lastEventId, accessToken, cancellationToken);
    }

    /// <summary>Every event crossing the bus from now on (administrators): any service watches the whole bus; the order service is asked.</summary>
    public Task<HttpResponseMessage> OpenBusFeedAsync(string accessToken, CancellationToken cancellationToken) =>
        OpenAsync("/api/admin/bus", null, accessToken, cancellationToken);

    private async Task<HttpResponseMessage> OpenAsync(string path, string? lastEventId, string accessToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (!string.IsNullOrEmpty(lastEventId))
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
