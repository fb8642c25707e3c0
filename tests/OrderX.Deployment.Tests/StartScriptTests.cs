using System.Net;
using System.Net.Sockets;
using OrderX.Testing;

namespace OrderX.Deployment.Tests;

/// <summary>scripts/start.sh as a newcomer meets it when something is wrong, on the embedded default (nothing to install).</summary>
public sealed class StartScriptTests : IDisposable
{
    private readonly string _runDirectory = Directory.CreateTempSubdirectory("orderx-start-").FullName;

    [Fact]
    public void A_process_that_exits_at_start_up_is_reported_at_once_with_its_error_and_nothing_is_left_running()
    {
        // A stale pid file (its process long gone), and the user service's port taken by another program.
        File.WriteAllText(Path.Combine(_runDirectory, "allinone.pid"), "2147483646");
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var takenPort = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var ports = FreePorts.Take(3);
        var started = DateTime.UtcNow;

        var (exit, output) = Repo.Run("bash", "scripts/start.sh --no-build", TimeSpan.FromSeconds(120), new Dictionary<string, string>
        {
            ["ORDERX_RUN_DIR"] = _runDirectory,
            ["Data__Path"] = Path.Combine(_runDirectory, "data"),
            ["Ports__gateway"] = $"{ports[0]}",
            ["Ports__user"] = $"{takenPort}",
            ["Http2Ports__user"] = $"{ports[1]}",
            ["MetricsPorts__gateway"] = $"{ports[2]}",
        });

        Assert.Equal(1, exit);
        Assert.Contains("removing a stale pid file: allinone", output);
        Assert.Contains("allinone exited during start-up", output);
        Assert.Contains("address already in use", output);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), $"start.sh took {DateTime.UtcNow - started} to notice:\n{output}");
        Assert.Empty(Directory.GetFiles(_runDirectory, "*.pid"));
    }

    [Fact]
    public void The_pid_file_names_the_process_that_holds_the_services_port()
    {
        var ports = FreePorts.Take(3);
        var environment = new Dictionary<string, string>
        {
            ["MetricsPorts__gateway"] = $"{ports[2]}",
            ["ORDERX_RUN_DIR"] = _runDirectory,
            ["Data__Path"] = Path.Combine(_runDirectory, "data"),
            ["Ports__gateway"] = $"{ports[0]}",
            ["Ports__user"] = $"{ports[1]}",
        };
        try
        {
            var (exit, output) = Repo.Run("bash", "scripts/start.sh --no-build", TimeSpan.FromSeconds(180), environment);
            Assert.True(exit == 0, output);
            var pid = int.Parse(File.ReadAllText(Path.Combine(_runDirectory, "allinone.pid")).Trim());

            Assert.True(ListeningSockets.OwnedBy(pid).Contains(ports[0]), $"process {pid} does not hold the gateway's port {ports[0]}:\n{output}");
        }
        finally
        {
            Repo.Run("bash", "scripts/stop.sh", TimeSpan.FromSeconds(60), environment);
        }
    }

    [Fact]
    public void Restarting_an_unknown_service_is_refused_with_the_names_of_the_services()
    {
        var (exit, output) = Repo.Run("bash", "scripts/start.sh --only shipping --no-build", TimeSpan.FromSeconds(30),
            new Dictionary<string, string> { ["ORDERX_RUN_DIR"] = _runDirectory });

        Assert.Equal(2, exit);
        Assert.Contains("unknown service shipping; one of: user product order payment notification web gateway", output);
        Assert.Empty(Directory.GetFiles(_runDirectory, "*.pid"));
    }

    public void Dispose() => Directory.Delete(_runDirectory, recursive: true);
}
