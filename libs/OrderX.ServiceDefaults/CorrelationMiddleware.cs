using Microsoft.AspNetCore.Http;
using OrderX.Contracts;

namespace OrderX.ServiceDefaults;

/// <summary>Takes <c>X-Correlation-Id</c> from the caller (or starts one) and hands it to every event the request causes.</summary>
public sealed class CorrelationMiddleware(RequestDelegate next)
{
    public const string Header = "X-Correlation-Id";
    public const string ItemKey = "orderx.correlation-id";

    public Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[Header].ToString();
        var correlationId = IsUsable(incoming) ? incoming : context.TraceIdentifier;
        context.Items[ItemKey] = correlationId;
        CorrelationContext.CorrelationId = correlationId;
        // TryAdd at start: behind the gateway the proxied service's own header is already there.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers.TryAdd(Header, correlationId);
            return Task.CompletedTask;
        });
        return next(context);
    }

    private static bool IsUsable(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
