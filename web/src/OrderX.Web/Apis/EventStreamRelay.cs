using System.Net;
using System.Text;
using OrderX.ServiceDefaults;

namespace OrderX.Web.Apis;

/// <summary>Passes a service's event stream on to the browser, event by event, as the page needs each one.</summary>
public static class EventStreamRelay
{
    /// <summary>
    /// Opens the upstream stream with <paramref name="open"/> and relays it. <paramref name="translate"/> turns an
    /// upstream event (its type, id and data) into the text to send, or null to leave it out. An upstream answer other
    /// than 200 is passed on as its status alone, and a service that does not answer is 503: EventSource gives up on
    /// either, and the page's script opens the stream again later.
    /// </summary>
    public static async Task RelayAsync(Func<CancellationToken, Task<HttpResponseMessage>> open, HttpContext context, Func<string?, string?, string, string?> translate, CancellationToken cancellationToken)
    {
        HttpResponseMessage upstream;
        try
        {
            upstream = await open(cancellationToken);
        }
        catch (HttpRequestException)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
            return;
        }
        using (upstream)
            await RelayAsync(upstream, context, translate, cancellationToken);
    }

    private static async Task RelayAsync(HttpResponseMessage upstream, HttpContext context, Func<string?, string?, string, string?> translate, CancellationToken cancellationToken)
    {
        if (upstream.StatusCode != HttpStatusCode.OK)
        {
            context.Response.StatusCode = (int)upstream.StatusCode;
            return;
        }
        var response = context.Response;
        EventStreamResponse.Start(context);
        await EventStreamResponse.SendAsync(response, EventStreamResponse.Retry(2000), cancellationToken);
        try
        {
            using var reader = new StreamReader(await upstream.Content.ReadAsStreamAsync(cancellationToken));
            string? eventType = null, id = null;
            var data = new StringBuilder();
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith(':'))
                    await EventStreamResponse.SendAsync(response, EventStreamResponse.KeepAlive, cancellationToken); // the stream's keep-alive, passed on for the proxies in between
                else if (line.StartsWith("event:", StringComparison.Ordinal))
                    eventType = line["event:".Length..].Trim();
                else if (line.StartsWith("id:", StringComparison.Ordinal))
                    id = line["id:".Length..].Trim();
                else if (line.StartsWith("data:", StringComparison.Ordinal))
                    data.Append(line["data:".Length..].TrimStart());
                else if (line.Length == 0)
                {
                    if (data.Length > 0 && translate(eventType, id, data.ToString()) is { } text)
                        await EventStreamResponse.SendAsync(response, text, cancellationToken);
                    (eventType, id, data) = (null, null, data.Clear());
                }
            }
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or HttpRequestException)
        {
            // The page left, or the service ended the stream: the browser reconnects.
        }
    }
}
