using Microsoft.AspNetCore.Http;
using OrderX.ServiceDefaults;

namespace OrderX.Orders.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> request header around an operation that creates something: without the header the
/// operation just runs; with it, a retry of the same request answers the first response again and creates nothing,
/// the same key with another request is 422, and while the first is still running, 409.
/// </summary>
public static class IdempotencyProtocol
{
    /// <summary>
    /// Runs <paramref name="create"/> at most once per customer and key. It receives the claimed record (null without
    /// a key) and must <see cref="IdempotencyStore.Complete"/> it in the unit of work that commits what it created; a
    /// result that did not complete it (a 422, say), or an exception, frees the key for another try.
    /// </summary>
    public static async Task<IResult> RunOnceAsync(
        this IdempotencyStore store,
        HttpContext context,
        Guid userId,
        string fingerprint,
        Func<IdempotencyRecord?, Task<IResult>> create,
        CancellationToken cancellationToken)
    {
        if (!context.Request.Headers.TryGetValue(IdempotencyStore.Header, out var header))
            return await create(null);
        var key = header.ToString();
        if (!IdempotencyStore.IsValidKey(key))
            return ValidationErrors.Single(IdempotencyStore.Header, $"{IdempotencyStore.Header} is 1 to {IdempotencyStore.MaxKeyLength} printable ASCII characters.");

        switch (await store.ClaimAsync(userId, key, fingerprint, cancellationToken))
        {
            case IdempotencyClaim.Replay(var first):
                context.Response.Headers["Idempotent-Replayed"] = "true";
                if (first.ResponseLocation is not null)
                    context.Response.Headers.Location = first.ResponseLocation;
                return Results.Content(first.ResponseBody, "application/json", statusCode: first.ResponseStatus);
            case IdempotencyClaim.Mismatch:
                return Problems.Unprocessable($"{IdempotencyStore.Header} '{key}' was already used for a different order; use a new key for a new order.");
            case IdempotencyClaim.InFlight:
                context.Response.Headers.RetryAfter = "1";
                return Problems.Conflict($"A request with {IdempotencyStore.Header} '{key}' is still being processed; retry in a moment.");
            case IdempotencyClaim.Granted(var record):
                try
                {
                    var result = await create(record);
                    if (record.CompletedAt is null)
                        await store.ReleaseAsync(record);
                    return result;
                }
                catch
                {
                    await store.ReleaseAsync(record);
                    throw;
                }
            default:
                throw new InvalidOperationException("Unknown idempotency claim.");
        }
    }
}
