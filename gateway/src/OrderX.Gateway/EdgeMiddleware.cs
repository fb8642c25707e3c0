using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrderX.ServiceDefaults;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace OrderX.Gateway;

/// <summary>What the gateway adds around every proxied request: headers, the body limit, and clear upstream errors.</summary>
public static partial class EdgeMiddleware
{
    public const string WebPagesPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";

    /// <summary>Headers a browser should see on every answer: the API's, the reference's and the web front's pages.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // The API reference needs its inline configuration ("try it" calls back to this origin only); the web
            // front's pages load only their own files and post only to this origin; the API serves no pages at all.
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(ApiReference.Path)
                ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
                : context.Features.Get<IReverseProxyFeature>()?.Route.Config.ClusterId == OrderXService.Web.Name
                    ? WebPagesPolicy
                    : "default-src 'none'; frame-ancestors 'none'";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            if (context.Request.IsHttps)
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>
    /// A declared body over the limit is refused at once (413); an undeclared one is cut off by Kestrel's own limit.
    /// A client that sends its whole body before reading the answer (no <c>Expect: 100-continue</c>, as Python's
    /// urllib and Node's fetch do) would meet a connection reset instead of the 413 if the connection closed with
    /// its body unread; so, as nginx's lingering close does, the rest is read and discarded first, up to
    /// <see cref="LingeringBytes"/> or <see cref="LingeringTime"/>, and the connection is then closed.
    /// </summary>
    public static IApplicationBuilder UseBodyLimit(this IApplicationBuilder app)
    {
        var limit = app.ApplicationServices.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxRequestBodyBytes;
        return app.Use(async (context, next) =>
        {
            if (context.Request.ContentLength > limit)
            {
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                    size.MaxRequestBodySize = null;
                if (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
                    context.Response.Headers.Connection = "close";
                await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                    $"Request bodies are limited to {limit} bytes.");
                await context.Response.CompleteAsync();
                await DiscardBodyAsync(context);
                return;
            }
            await next(context);
        });
    }

    private const long LingeringBytes = 64L * 1024 * 1024;
    private static readonly TimeSpan LingeringTime = TimeSpan.FromSeconds(5);

    private static async Task DiscardBodyAsync(HttpContext context)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(LingeringTime);
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long discarded = 0;
            int read;
            while (discarded < LingeringBytes && (read = await context.Request.Body.ReadAsync(buffer, deadline.Token)) > 0)
                discarded += read;
        }
        catch (Exception error) when (error is OperationCanceledException or IOException or BadHttpRequestException)
        {
            // The client stopped sending or took too long: the connection closes as it would have anyway.
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// YARP answers a failed forward with a bare status code; this gives it a body that says what happened:
    /// 503 when the service is not running, 504 when it took too long, 502 for anything else it got wrong.
    /// </summary>
    public static async Task ExplainUpstreamErrorsAsync(HttpContext context, Func<Task> next)
    {
        await next();
        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
            return;
        var (status, title, detail) = error.Error switch
        {
            ForwarderError.RequestTimedOut => (StatusCodes.Status504GatewayTimeout, "The service took too long to answer",
                "The service behind this route did not answer in time. The request may or may not have taken effect; check before repeating it, or repeat it with the same Idempotency-Key."),
            ForwarderError.NoAvailableDestinations => Unavailable(),
            ForwarderError.Request when error.Exception?.GetBaseException() is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable } => Unavailable(),
            _ => (StatusCodes.Status502BadGateway, "Bad gateway", "The service behind this route failed to answer properly."),
        };
        if (status == StatusCodes.Status503ServiceUnavailable)
            context.Response.Headers.RetryAfter = "5";
        // One line per failed request, in place of the forwarder's warning with its whole stack trace (silenced in
        // OrderXBuilder's defaults): during an outage that is one line per request, not fifteen.
        var service = context.GetReverseProxyFeature()?.Route.Config.ClusterId ?? "?";
        LogUpstreamError(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(UpstreamErrorsCategory),
            context.Request.Method, context.Request.Path, service, error.Error, error.Exception?.GetBaseException().Message ?? "", status);
        await Problems.WriteAsync(context, status, title, detail);
    }

    public const string UpstreamErrorsCategory = "OrderX.Gateway.UpstreamErrors";

    [LoggerMessage(LogLevel.Warning, "{Method} {Path}: the {Service} service failed ({Error}: {Reason}); answered {Status}")]
    private static partial void LogUpstreamError(ILogger logger, string method, string path, string service, ForwarderError error, string reason, int status);

    private static (int, string, string) Unavailable() => (StatusCodes.Status503ServiceUnavailable, "Service unavailable",
        "The service behind this route is not running. Nothing was done; try again shortly.");
}
