namespace OrderX.Payments.Domain;

public sealed class PaymentRuleOptions
{
    public const string Section = "Payment";

    /// <summary>The simulated card limit: a charge above it is declined.</summary>
    public decimal DeclineAbove { get; set; } = 1000m;
}
