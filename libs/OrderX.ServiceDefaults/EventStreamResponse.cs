using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OrderX.ServiceDefaults;

/// <summary>A Server-Sent Events answer: its headers, its lines, and writes that reach the client at once.</summary>
public static class EventStreamResponse
{
    public const string ContentType = "text/event-stream";

    /// <summary>A comment: keeps an idle stream open through proxies, and is ignored by the client.</summary>
    public const string KeepAlive = ": keep-alive\n\n";

    /// <summary>Marks the answer as an event stream that no one in between may cache or hold back.</summary>
    public static void Start(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        // Proxies that buffer by default (nginx) pass the events on as they come.
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    /// <summary>How long the client waits before it reconnects.</summary>
    public static string Retry(int milliseconds) => string.Create(CultureInfo.InvariantCulture, $"retry: {milliseconds}\n\n");

    /// <summary>One event; <paramref name="data"/> is one line (JSON), <paramref name="id"/> what the client resumes after.</summary>
    public static string Event(long id, string type, string data) => string.Create(CultureInfo.InvariantCulture, $"id: {id}\nevent: {type}\ndata: {data}\n\n");

    public static async Task SendAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.WriteAsync(text, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
