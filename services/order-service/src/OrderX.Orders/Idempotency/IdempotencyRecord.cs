namespace OrderX.Orders.Idempotency;

/// <summary>
/// One <c>Idempotency-Key</c> of one customer: the digest of the request that first used it and, once that request
/// succeeded, its response. Written in the same transaction as the order it created.
/// </summary>
public sealed class IdempotencyRecord
{
    public const int MaxKeyLength = 255;

    public Guid UserId { get; set; }
    public required string Key { get; set; }
    public required string RequestHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? CompletedAt { get; set; }
    public int? ResponseStatus { get; set; }
    public string? ResponseLocation { get; set; }
    public string? ResponseBody { get; set; }
}
