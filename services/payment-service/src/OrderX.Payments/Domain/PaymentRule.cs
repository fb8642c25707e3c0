using System.Globalization;
using Microsoft.Extensions.Options;

namespace OrderX.Payments.Domain;

/// <summary>
/// The simulated payment provider. Deterministic on purpose, so tests and demos can choose the outcome:
/// a positive amount up to the configured limit is approved, anything else is declined.
/// </summary>
public sealed class PaymentRule(IOptions<PaymentRuleOptions> options)
{
    public ChargeDecision Decide(decimal amount, string currency)
    {
        var limit = options.Value.DeclineAbove;
        if (amount <= 0)
            return ChargeDecision.Decline("The amount to charge must be positive.");
        if (amount > limit)
            return ChargeDecision.Decline(string.Create(CultureInfo.InvariantCulture,
                $"Card declined: {amount:0.00} {currency} exceeds the card limit of {limit:0.00} {currency}."));
        return ChargeDecision.Approve;
    }
}
