namespace OrderX.Orders.Idempotency;

/// <summary>What a request with an <c>Idempotency-Key</c> may do.</summary>
public abstract record IdempotencyClaim
{
    /// <summary>The key is new: go ahead, then <see cref="IdempotencyStore.Complete"/> or <see cref="IdempotencyStore.ReleaseAsync"/>.</summary>
    public sealed record Granted(IdempotencyRecord Record) : IdempotencyClaim;

    /// <summary>The same request succeeded before: answer what it got.</summary>
    public sealed record Replay(IdempotencyRecord Record) : IdempotencyClaim;

    /// <summary>The key was used for a different request (422).</summary>
    public sealed record Mismatch : IdempotencyClaim;

    /// <summary>The first request with this key is still running (409).</summary>
    public sealed record InFlight : IdempotencyClaim;
}
