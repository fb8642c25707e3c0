using System.Globalization;

namespace OrderX.Chaos;

public sealed record ChaosOptions
{
    /// <summary>How long the load runs; the faults repeat in turn until then (at least one full round).</summary>
    public double Minutes { get; init; } = 2;
    /// <summary>Orders started per second, whatever the answers (open loop).</summary>
    public double Rate { get; init; } = 8;
    public int Customers { get; init; } = 24;
    /// <summary>Bootstrap servers of a Kafka cluster to run on instead of RabbitMQ.</summary>
    public string? Kafka { get; init; }
    /// <summary>How long the run may take, after the load, to settle every order before the audit.</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromMinutes(3);
    public string Root { get; init; } = Directory.GetCurrentDirectory();
    public string Postgres { get; init; } = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? ServiceData.DatabaseSettings.DefaultPostgres;
    public string PostgresCluster { get; init; } = Environment.GetEnvironmentVariable("ORDERX_CHAOS_PG_CLUSTER") ?? "15 main";
    public string RabbitHost { get; init; } = Environment.GetEnvironmentVariable("RabbitMQ__Host") ?? "localhost";
    public int RabbitPort { get; init; } = 5672;
    /// <summary>Faults of PostgreSQL and RabbitMQ themselves (need root on this machine, as scripts/infra.sh does).</summary>
    public bool InfrastructureFaults { get; init; } = Environment.UserName == "root";

    public const string DatabasePrefix = "orderxchaos_";
    public const string Exchange = "orderx-chaos";
    public const string KafkaPrefix = "orderx-chaos.";

    public static ChaosOptions Parse(string[] args)
    {
        var options = new ChaosOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            double Number() => double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n : throw new ArgumentException($"{args[i - 1]} needs a positive number");
            options = args[i] switch
            {
                "--minutes" => options with { Minutes = Number() },
                "--rate" => options with { Rate = Number() },
                "--customers" => options with { Customers = (int)Number() },
                "--kafka" => options with { Kafka = Next() },
                "--settle-minutes" => options with { Settle = TimeSpan.FromMinutes(Number()) },
                "--root" => options with { Root = Next() },
                "--no-infrastructure-faults" => options with { InfrastructureFaults = false },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options;
    }
}
