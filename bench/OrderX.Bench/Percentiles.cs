namespace OrderX.Bench;

public sealed record Percentiles(int Count, double P50, double P95, double P99, double Max)
{
    public static Percentiles Of(IEnumerable<double> samples)
    {
        var sorted = samples.OrderBy(s => s).ToArray();
        if (sorted.Length == 0)
            return new Percentiles(0, 0, 0, 0, 0);
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new Percentiles(sorted.Length, Round(At(0.50)), Round(At(0.95)), Round(At(0.99)), Round(sorted[^1]));
    }

    private static double Round(double value) => Math.Round(value, 2);

    public override string ToString() => Count == 0 ? "n/a" : $"{P50} / {P95} / {P99} / {Max}";
}
