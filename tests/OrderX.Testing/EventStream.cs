using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace OrderX.Testing;

/// <summary>A Server-Sent Events response read event by event, as a browser's EventSource would.</summary>
public sealed class EventStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<SseItem<string>> _events;

    private EventStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _events = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
    }

    public HttpResponseMessage Response => _response;

    /// <summary>Opens the stream; a response that is not an event stream is returned as it is, for its status.</summary>
    public static async Task<(HttpResponseMessage Response, EventStream? Stream)> OpenAsync(
        HttpClient client, string path, string? token = null, string? lastEventId = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            return (response, null);
        return (response, new EventStream(response, await response.Content.ReadAsStreamAsync(cancellationToken)));
    }

    /// <summary>The next event, or a failure when none comes within <paramref name="timeout"/>.</summary>
    public async Task<SseItem<string>> NextAsync(TimeSpan? timeout = null)
    {
        var next = _events.MoveNextAsync().AsTask();
        if (await Task.WhenAny(next, Task.Delay(timeout ?? TimeSpan.FromSeconds(10))) != next)
            Assert.Fail($"no event within {(timeout ?? TimeSpan.FromSeconds(10)).TotalSeconds} s");
        Assert.True(await next, "the stream ended");
        return _events.Current;
    }

    /// <summary>The next event's data, read as JSON.</summary>
    public async Task<T> NextAsync<T>(TimeSpan? timeout = null) =>
        JsonSerializer.Deserialize<T>((await NextAsync(timeout)).Data, JsonSerializerOptions.Web)!;

    public async ValueTask DisposeAsync()
    {
        _response.Dispose();
        try
        {
            await _events.DisposeAsync();
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException or OperationCanceledException or HttpRequestException)
        {
            // The response was closed under the reader: that is how a stream is left.
        }
    }
}
