using System.Text.Json;

namespace OrderX.Deployment.Tests;

/// <summary>infra/grafana: the dashboard and the provisioning that loads it. Its queries run against a real Prometheus in the e2e tests.</summary>
public sealed class GrafanaDashboardTests
{
    private static JsonElement Dashboard() =>
        JsonDocument.Parse(File.ReadAllText(Repo.PathOf("infra", "grafana", "dashboards", "orderx.json"))).RootElement;

    [Fact]
    public void Every_panel_reads_the_provisioned_prometheus_and_no_two_panels_share_an_id_or_a_place()
    {
        var provisioned = File.ReadAllText(Repo.PathOf("infra", "grafana", "provisioning", "datasources", "prometheus.yml"));
        var panels = Dashboard().GetProperty("panels").EnumerateArray().ToList();
        var charts = panels.Where(p => p.GetProperty("type").GetString() != "row").ToList();

        Assert.Contains("uid: prometheus", provisioned);
        Assert.Contains("url: http://prometheus:9090", provisioned);
        Assert.True(charts.Count >= 20, $"{charts.Count} panels");
        Assert.All(charts, p => Assert.Equal("prometheus", p.GetProperty("datasource").GetProperty("uid").GetString()));
        Assert.All(charts, p => Assert.NotEqual(0, p.GetProperty("targets").GetArrayLength()));
        Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        var places = panels.Select(p => p.GetProperty("gridPos")).Select(g => (X: g.GetProperty("x").GetInt32(), Y: g.GetProperty("y").GetInt32())).ToList();
        Assert.Equal(places.Count, places.Distinct().Count());
        Assert.All(panels, p => Assert.True(p.GetProperty("gridPos").GetProperty("x").GetInt32() + p.GetProperty("gridPos").GetProperty("w").GetInt32() <= 24));
    }

    [Fact]
    public void The_dashboard_shows_the_flow_the_messaging_and_the_alerts_figures()
    {
        var expressions = string.Join('\n', Dashboard().GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()));
        // Every figure an alert pages on is on the dashboard, so whoever is paged sees it move.
        foreach (var metric in new[] { "orderx_outbox_oldest_age_seconds", "orderx_messaging_dead_lettered_total", "orderx_orders_pending_oldest_age_seconds",
                     "orderx_order_settle_duration_seconds_bucket", "orderx_consumer_queue_depth", "orderx_consumer_lag" })
            Assert.Contains(metric, expressions);
        var provider = File.ReadAllText(Repo.PathOf("infra", "grafana", "provisioning", "dashboards", "orderx.yml"));
        Assert.Contains("path: /var/lib/grafana/dashboards", provider);
    }
}
