using System.Text.RegularExpressions;

namespace OrderX.Deployment.Tests;

/// <summary>The scrape configuration and the alert rules under infra/prometheus, checked by Prometheus' own promtool.</summary>
public sealed partial class PrometheusRulesTests
{
    [Theory]
    [InlineData("prometheus.yml")]
    [InlineData("prometheus.compose.yml")]
    public void The_scrape_configuration_and_its_alert_rules_are_valid(string configuration)
    {
        var (exit, output) = Repo.Run(Repo.RequireTool("promtool"), $"check config infra/prometheus/{configuration}");

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS: 6 rules found", output);
    }

    [Fact]
    public void Each_alert_fires_on_the_series_that_should_raise_it_and_none_on_a_healthy_shop()
    {
        var (exit, output) = Repo.Run(Repo.RequireTool("promtool"), "test rules infra/prometheus/alerts.test.yml");

        Assert.True(exit == 0, output);
    }

    [Fact]
    public void Every_metric_an_alert_reads_is_one_orderx_defines()
    {
        var defined = File.ReadAllLines(Repo.PathOf("infra", "prometheus", "orderx-metrics.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#')).Select(line => line.Split(' ')[0]).ToHashSet();
        // The expressions without their label names (in by (...) and in matchers): what is left names metrics.
        var expressions = string.Join('\n', File.ReadAllLines(Repo.PathOf("infra", "prometheus", "alerts.yml"))
            .Select(line => line.Trim()).Where(line => !line.StartsWith('#') && !line.StartsWith("summary:") && !line.StartsWith("- alert:")));
        var withoutLabels = Regex.Replace(Regex.Replace(expressions, @"by \([^)]*\)", ""), "\\w+=~?\"", "");
        var used = MetricName().Matches(withoutLabels).Select(m => m.Value)
            .Select(name => Regex.Replace(name, "_(bucket|sum|count)$", "")).ToHashSet();

        Assert.NotEmpty(used);
        Assert.DoesNotContain(used, name => !defined.Contains(name));
    }

    [Fact]
    public void Every_alert_has_its_runbook()
    {
        var runbook = File.ReadAllText(Repo.PathOf("infra", "prometheus", "RUNBOOK.md"));
        var alerts = AlertName().Matches(File.ReadAllText(Repo.PathOf("infra", "prometheus", "alerts.yml"))).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(6, alerts.Count);
        Assert.All(alerts, alert => Assert.Contains($"## {alert}\n", runbook));
    }

    [GeneratedRegex(@"\b(?:orderx|messaging)_[a-z_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"- alert: (\w+)")]
    private static partial Regex AlertName();
}
