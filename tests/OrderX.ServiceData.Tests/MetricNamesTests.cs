using System.Diagnostics.Metrics;
using OrderX.Messaging;

namespace OrderX.ServiceData.Tests;

/// <summary>The instruments OrderX defines are the committed list operators build alerts and dashboards on.</summary>
public sealed class MetricNamesTests
{
    [Fact]
    public void Every_instrument_is_in_the_committed_list_under_its_prometheus_name_and_every_listed_name_exists()
    {
        // The meters' instruments are created with their classes.
        OrderFlowMetrics.PendingSampled(0, null);
        MessagingMetrics.ObserveBacklog("metric-names-test", () => (0, 0));
        var found = new List<string>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name is OrderFlowMetrics.MeterName or MessagingMetrics.MeterName)
                    lock (found)
                        found.Add($"{PrometheusName(instrument)} {Kind(instrument)}");
            };
            listener.Start();
        }

        var committed = File.ReadAllLines(Path.Combine(RepoRoot(), "infra", "prometheus", "orderx-metrics.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#')).Order().ToList();
        Assert.Equal(committed, found.Distinct().Order().ToList());
    }

    // The OpenTelemetry Prometheus exporter's naming: dots become underscores, a unit of seconds adds _seconds (a
    // {annotation} unit adds nothing), counters end in _total.
    private static string PrometheusName(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        if (instrument.Unit == "s")
            name += "_seconds";
        return Kind(instrument) == "counter" ? name + "_total" : name;
    }

    private static string Kind(Instrument instrument) => instrument.GetType().Name switch
    {
        var type when type.StartsWith("Counter", StringComparison.Ordinal) || type.StartsWith("ObservableCounter", StringComparison.Ordinal) => "counter",
        var type when type.StartsWith("Histogram", StringComparison.Ordinal) => "histogram",
        _ => "gauge",
    };

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OrderX.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("OrderX.slnx not found above the test assembly");
    }
}
