using Confluent.Kafka;

namespace OrderX.KafkaMock;

/// <summary>
/// Starts librdkafka's mock cluster (a protocol-level Kafka on 127.0.0.1 ports), prints its bootstrap servers and
/// holds it until stopped (Ctrl+C or SIGTERM), so OrderX processes can be run on "Kafka" where no broker installs:
///   dotnet artifacts/bin/OrderX.KafkaMock/release/OrderX.KafkaMock.dll [--brokers N]
///   scripts/start.sh --kafka &lt;the printed address&gt;
/// The mock creates topics on first use, keeps everything in memory and is gone when this process ends.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var brokers = 1;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--brokers" && i + 1 < args.Length && int.TryParse(args[++i], out var n) && n is >= 1 and <= 9)
                brokers = n;
            else
            {
                Console.Error.WriteLine("usage: OrderX.KafkaMock [--brokers N]   (N from 1 to 9, default 1)");
                return args[i] is "-h" or "--help" ? 0 : 2;
            }
        }
        var config = new AdminClientConfig { BootstrapServers = "127.0.0.1:1" };
        config.Set("test.mock.num.brokers", brokers.ToString());
        using var holder = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        var servers = string.Join(',', holder.GetMetadata(TimeSpan.FromSeconds(10)).Brokers.Select(b => $"{b.Host}:{b.Port}"));
        Console.WriteLine($"bootstrap: {servers}");
        Console.WriteLine("librdkafka's mock cluster is running; Ctrl+C stops it (and everything it holds).");
        var stop = new ManualResetEventSlim();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Set(); };
        AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Set();
        stop.Wait();
        return 0;
    }
}
