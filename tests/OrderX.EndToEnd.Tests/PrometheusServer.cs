using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OrderX.Testing;

namespace OrderX.EndToEnd.Tests;

/// <summary>
/// Debian's real Prometheus (apt package prometheus, which scripts/infra.sh installs) scraping every OrderX process
/// every second and evaluating the committed alert rules (infra/prometheus/alerts.yml), queried over its HTTP API.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _api;

    private PrometheusServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        _api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public static async Task<PrometheusServer> StartAsync(IEnumerable<(string Job, int Port)> targets)
    {
        var binary = new[] { "/usr/bin/prometheus", "/usr/local/bin/prometheus" }.FirstOrDefault(File.Exists);
        Assert.True(binary is not null, "Prometheus is needed for this test; scripts/infra.sh installs it (Debian package prometheus).");
        var directory = Directory.CreateTempSubdirectory("orderx-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        var scrapes = string.Join('\n', targets.GroupBy(t => t.Job).Select(job =>
            $"  - job_name: {job.Key}\n    static_configs: [{{ targets: [{string.Join(", ", job.Select(t => $"\"127.0.0.1:{t.Port}\""))}] }}]"));
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - {Path.Combine(RepoPaths.Root, "infra", "prometheus", "alerts.yml")}
            scrape_configs:
            {scrapes}
            """);
        var port = FreePorts.Take(1)[0];
        var info = new ProcessStartInfo(binary!, [
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
        ]) { RedirectStandardOutput = true, RedirectStandardError = true };
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, directory, port);
        await Eventually.ValueAsync(server.IsReadyAsync, ready => ready, "Prometheus' readiness");
        return server;
    }

    private async Task<bool> IsReadyAsync()
    {
        try
        {
            using var response = await _api.GetAsync("/-/ready");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>The value of an instant query that yields one sample, or null when it yields none.</summary>
    public async Task<double?> ValueAsync(string query)
    {
        var answer = JsonDocument.Parse(await _api.GetStringAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}")).RootElement;
        var result = answer.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0 ? null : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Every sample an instant query yields, each as its labels and value.</summary>
    public async Task<List<(Dictionary<string, string> Labels, double Value)>> SamplesAsync(string query)
    {
        var answer = JsonDocument.Parse(await _api.GetStringAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}")).RootElement;
        return answer.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(r => (r.GetProperty("metric").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!),
                double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>Prometheus' own verdict on a query: null when it evaluates, else the error it gives.</summary>
    public async Task<string?> QueryErrorAsync(string query)
    {
        using var response = await _api.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}");
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return answer.GetProperty("status").GetString() == "success" ? null : answer.GetProperty("error").GetString();
    }

    /// <summary>The names of every metric Prometheus holds series of.</summary>
    public async Task<HashSet<string>> MetricNamesAsync()
    {
        var answer = JsonDocument.Parse(await _api.GetStringAsync("/api/v1/label/__name__/values")).RootElement;
        return answer.GetProperty("data").EnumerateArray().Select(n => n.GetString()!).ToHashSet();
    }

    /// <summary>The alerts firing now, each as its name and labels.</summary>
    public async Task<List<Dictionary<string, string>>> FiringAlertsAsync()
    {
        var answer = JsonDocument.Parse(await _api.GetStringAsync("/api/v1/alerts")).RootElement;
        return answer.GetProperty("data").GetProperty("alerts").EnumerateArray()
            .Where(a => a.GetProperty("state").GetString() == "firing")
            .Select(a => a.GetProperty("labels").EnumerateObject().ToDictionary(l => l.Name, l => l.Value.GetString()!))
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        _api.Dispose();
        if (!_process.HasExited)
            _process.Kill();
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
