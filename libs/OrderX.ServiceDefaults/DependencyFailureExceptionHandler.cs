using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;

namespace OrderX.ServiceDefaults;

/// <summary>
/// A dependency that is down or overloaded is the server's temporary trouble, not a bug: the caller gets 503 with
/// Retry-After (and nothing was committed), instead of a 500. Which failures count is told by every registered
/// <see cref="IDependencyOutage"/>.
/// </summary>
public sealed partial class DependencyFailureExceptionHandler(
    IEnumerable<IDependencyOutage> outages,
    IProblemDetailsService problemDetails,
    ILogger<DependencyFailureExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var detail = outages.Select(outage => outage.Explain(exception)).FirstOrDefault(explained => explained is not null);
        if (detail is null)
            return false;
        LogUnavailable(exception, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds(exception).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Temporarily unavailable",
                Detail = detail,
            },
        });
    }

    /// <summary>An open circuit knows when it will try again; other outages are worth a retry in a couple of seconds.</summary>
    private static int RetryAfterSeconds(Exception exception) =>
        exception is BrokenCircuitException { RetryAfter: { } wait } ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 2;

    [LoggerMessage(LogLevel.Warning, "{Path}: a dependency failed; answered 503")]
    private partial void LogUnavailable(Exception error, string path);
}
