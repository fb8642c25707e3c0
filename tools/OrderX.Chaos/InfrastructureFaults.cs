using System.Net.Sockets;

namespace OrderX.Chaos;

/// <summary>
/// Stops, kills and restarts the local RabbitMQ and PostgreSQL with the commands scripts/infra.sh starts them with
/// (Debian's packages, as root). Whatever happens, <see cref="EnsureRunningAsync"/> leaves both running.
/// </summary>
public sealed class InfrastructureFaults(ChaosOptions options)
{
    private string[] Cluster => options.PostgresCluster.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public async Task RestartRabbitMqAsync()
    {
        await Shell.RunCheckedAsync("rabbitmqctl", "-q", "stop_app");
        await Task.Delay(TimeSpan.FromSeconds(3));
        await Shell.RunCheckedAsync("rabbitmqctl", "-q", "start_app");
        await WaitForPortAsync(options.RabbitHost, options.RabbitPort);
    }

    /// <summary>kill -9 of the broker's Erlang VM, then a cold start, as after a crash.</summary>
    public async Task KillRabbitMqAsync()
    {
        await Shell.RunAsync("pkill", ["-KILL", "-f", "beam.smp"]);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await StartRabbitMqAsync();
    }

    public async Task RestartPostgresAsync()
    {
        await Shell.RunCheckedAsync("pg_ctlcluster", [.. Cluster, "restart"]);
        await WaitForPortAsync("127.0.0.1", 5432);
    }

    /// <summary><c>pg_ctlcluster stop -m immediate</c>: no checkpoint, every connection dropped, crash recovery at the next start.</summary>
    public async Task StopPostgresImmediatelyAsync()
    {
        await Shell.RunCheckedAsync("pg_ctlcluster", [.. Cluster, "stop", "-m", "immediate"]);
        await Task.Delay(TimeSpan.FromSeconds(4));
        await Shell.RunCheckedAsync("pg_ctlcluster", [.. Cluster, "start"]);
        await WaitForPortAsync("127.0.0.1", 5432);
    }

    public async Task EnsureRunningAsync()
    {
        if (!await IsOpenAsync("127.0.0.1", 5432))
            await Shell.RunAsync("pg_ctlcluster", [.. Cluster, "start"]);
        if (!await IsOpenAsync(options.RabbitHost, options.RabbitPort))
            await StartRabbitMqAsync();
        else
            await Shell.RunAsync("rabbitmqctl", ["-q", "start_app"]);
    }

    private async Task StartRabbitMqAsync()
    {
        await Shell.RunAsync("rabbitmq-server", ["-detached"]);
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if ((await Shell.RunAsync("rabbitmqctl", ["-q", "status"])).Exit == 0 && await IsOpenAsync(options.RabbitHost, options.RabbitPort))
                return;
            await Task.Delay(500);
        }
        throw new TimeoutException("RabbitMQ did not come back within 2 minutes");
    }

    private static async Task WaitForPortAsync(string host, int port)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!await IsOpenAsync(host, port))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{host}:{port} did not come back within 2 minutes");
            await Task.Delay(250);
        }
    }

    private static async Task<bool> IsOpenAsync(string host, int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception error) when (error is SocketException or TimeoutException)
        {
            return false;
        }
    }
}
