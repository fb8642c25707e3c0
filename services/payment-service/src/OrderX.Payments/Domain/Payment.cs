namespace OrderX.Payments.Domain;

public sealed class Payment
{
    public const string Succeeded = "succeeded";
    public const string Declined = "declined";
    public const string Refunded = "refunded";

    public Guid Id { get; set; }
    /// <summary>Unique: an order is charged at most once, however many instances or deliveries there are.</summary>
    public Guid OrderId { get; set; }
    /// <summary>The customer who owns the order: only they (and admins) may see the payment.</summary>
    public Guid UserId { get; set; }
    public decimal Amount { get; set; }
    public required string Currency { get; set; }
    public required string Status { get; set; }
    public string? Reason { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RefundedAt { get; set; }
    public string? RefundReason { get; set; }
}
