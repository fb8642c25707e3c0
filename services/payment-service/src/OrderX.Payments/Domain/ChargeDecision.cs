namespace OrderX.Payments.Domain;

public sealed record ChargeDecision(bool Approved, string? DeclineReason)
{
    public static readonly ChargeDecision Approve = new(true, null);

    public static ChargeDecision Decline(string reason) => new(false, reason);
}
