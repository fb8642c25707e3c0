namespace OrderX.Bench;

/// <summary>One order's life as the customer saw it. Times are milliseconds; FinishedAt is seconds since the phase began.</summary>
public sealed record OrderSample(double PostMs, double? ToFinalMs, string Outcome, double FinishedAt);
