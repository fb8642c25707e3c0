using System.Text.Json;
using OrderX.Bench;

namespace OrderX.EndToEnd.Tests;

/// <summary>The benchmark, run for a few seconds against a real embedded OrderX so it never rots; scripts/bench.sh is the real run.</summary>
[Collection("end-to-end")]
public sealed class BenchSmokeTests(EmbeddedDeployment deployment) : IClassFixture<EmbeddedDeployment>
{
    [Fact]
    public async Task A_short_benchmark_run_produces_a_complete_report()
    {
        var runDirectory = Directory.CreateDirectory(Path.Combine(deployment.WorkDirectory, "run")).FullName;
        await File.WriteAllTextAsync(Path.Combine(runDirectory, "allinone.pid"), $"{deployment.ProcessId}");
        var output = Path.Combine(deployment.WorkDirectory, "results");
        var options = BenchOptions.Parse(["--smoke", "--quiet"]) with
        {
            Gateway = deployment.Gateway.BaseAddress!,
            Direct = new Uri($"http://localhost:{deployment.Ports["order"]}"),
            RunDirectory = runDirectory,
            DataDirectory = Path.Combine(deployment.WorkDirectory, "data"),
            Output = output,
        };

        var result = await BenchRunner.RunAsync(options, _ => { });

        Assert.NotNull(result);
        Assert.True(result.CompletedPerSecond > 0, "no order completed");
        Assert.Empty(result.ClosedLoop.Errors);
        Assert.Empty(result.OpenLoop.Errors);
        Assert.True(result.ClosedLoop.TimeToPaidMs.Count > 0 && result.ClosedLoop.TimeToPaidMs.P50 > 0);
        Assert.True(result.OutboxLagMs.Count > 0, "no outbox lag was read back");
        Assert.True(result.Gateway!.Proxied.RequestsPerSecond > 0 && result.Gateway.Direct.RequestsPerSecond > 0);
        Assert.True(result.PostgresInsertsPerSecond > 0 && result.RabbitMq!.ConfirmedPublishesPerSecond > 0);
        Assert.NotNull(result.Ratio);
        var process = Assert.Single(result.Processes);
        Assert.True(process.PeakRssMb > 0 && process.CpuSeconds > 0);
        // A process's first orders make the runtime recompile their hot paths: its JIT thread was found and read.
        Assert.True(process.JitThreadCpuSeconds > 0 && process.JitThreadCpuSeconds <= process.CpuSeconds,
            $"background JIT {process.JitThreadCpuSeconds} s of {process.CpuSeconds} s");
        Assert.NotNull(result.JitThreadCpuMsPerPaidOrder);

        var json = Assert.Single(BenchRunner.Write(result, output), f => f.EndsWith(".json", StringComparison.Ordinal));
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(json));
        foreach (var key in new[] { "completedPerSecond", "ratio", "gatewayRatio", "outboxLagMs", "processes" })
            Assert.True(document.RootElement.TryGetProperty(key, out _), $"{key} is missing from the report");
    }
}
