using Microsoft.Extensions.Options;
using OrderX.Payments.Domain;

namespace OrderX.Payments.Tests;

public class PaymentRuleTests
{
    private static PaymentRule Rule(decimal limit) => new(Options.Create(new PaymentRuleOptions { DeclineAbove = limit }));

    [Theory]
    [InlineData(0.01)]
    [InlineData(49.80)]
    [InlineData(1000.00)]
    public void A_positive_amount_up_to_the_limit_is_approved(decimal amount) =>
        Assert.True(Rule(1000m).Decide(amount, "EUR").Approved);

    [Fact]
    public void An_amount_above_the_limit_is_declined_with_a_reason_naming_both()
    {
        var decision = Rule(1000m).Decide(1899.00m, "EUR");

        Assert.False(decision.Approved);
        Assert.Contains("1899.00 EUR", decision.DeclineReason);
        Assert.Contains("1000.00 EUR", decision.DeclineReason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_non_positive_amount_is_declined(decimal amount) =>
        Assert.False(Rule(1000m).Decide(amount, "EUR").Approved);

    [Fact]
    public void The_limit_comes_from_configuration()
    {
        Assert.False(Rule(10m).Decide(10.01m, "EUR").Approved);
        Assert.True(Rule(10_000m).Decide(1899m, "EUR").Approved);
    }
}
