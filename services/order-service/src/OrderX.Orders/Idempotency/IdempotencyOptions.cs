namespace OrderX.Orders.Idempotency;

public sealed class IdempotencyOptions
{
    public const string Section = "Orders:Idempotency";

    /// <summary>How long a key is remembered (the IETF draft suggests at least a day).</summary>
    public TimeSpan KeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A first request that holds its key longer than this is taken as dead (its process crashed) and the key is freed.</summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromMinutes(1);
}
