using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace OrderX.ServiceDefaults;

/// <summary>
/// A database that is down or overloaded is the server's temporary trouble, not a bug: the caller gets 503 with
/// Retry-After (and nothing was committed), instead of a 500.
/// </summary>
public sealed partial class DependencyFailureExceptionHandler(IProblemDetailsService problemDetails, ILogger<DependencyFailureExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!DependencyFailures.Instance.IsTransient(exception))
            return false;
        LogUnavailable(exception, httpContext.Request.Path);
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = "2";
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Temporarily unavailable",
                Detail = "A database OrderX depends on did not answer; nothing was changed. Try again shortly.",
            },
        });
    }

    [LoggerMessage(LogLevel.Warning, "{Path}: a dependency failed; answered 503")]
    private partial void LogUnavailable(Exception error, string path);
}
