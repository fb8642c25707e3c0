using System.Globalization;

namespace OrderX.Testing;

/// <summary>Reads Prometheus' text exposition format, as a scraper sees a <c>/metrics</c> answer.</summary>
public static class PrometheusText
{
    /// <summary>The sum of every sample of <paramref name="name"/> whose labels include all of <paramref name="labels"/> (label="value").</summary>
    public static double Sum(string text, string name, params string[] labels) =>
        Samples(text).Where(s => s.Name == name && labels.All(l => s.Labels.Contains(l, StringComparison.Ordinal))).Sum(s => s.Value);

    /// <summary>The metric families the answer declares (<c># TYPE name kind</c>).</summary>
    public static IReadOnlySet<string> Families(string text) =>
        text.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToHashSet();

    private static IEnumerable<(string Name, string Labels, double Value)> Samples(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            var brace = line.IndexOf('{');
            var close = line.LastIndexOf('}');
            var name = brace >= 0 ? line[..brace] : line[..line.IndexOf(' ')];
            var labels = brace >= 0 ? line[(brace + 1)..close] : "";
            var rest = (brace >= 0 ? line[(close + 1)..] : line[name.Length..]).Trim().Split(' ');
            if (double.TryParse(rest[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                yield return (name, labels, value);
        }
    }
}
