using System.Globalization;

namespace OrderX.Bench;

public sealed record BenchOptions
{
    public string Mode { get; init; } = "embedded";
    public Uri Gateway { get; init; } = new("http://localhost:8080");
    /// <summary>A service reached directly, for the gateway comparison (the order service).</summary>
    public Uri Direct { get; init; } = new("http://localhost:5103");
    public double WarmupSeconds { get; init; } = 8;
    public double DurationSeconds { get; init; } = 20;
    public double LimitSeconds { get; init; } = 4;
    public int Customers { get; init; } = 32;
    /// <summary>Open-loop orders per second; 0 means half of what the closed loop completed.</summary>
    public double Rate { get; init; }
    public string RunDirectory { get; init; } = ".run";
    public string DataDirectory { get; init; } = "data";
    public string Postgres { get; init; } = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres") ?? ServiceData.DatabaseSettings.DefaultPostgres;
    public string DatabasePrefix { get; init; } = Environment.GetEnvironmentVariable("Database__NamePrefix") ?? "orderx_";
    public string RabbitHost { get; init; } = Environment.GetEnvironmentVariable("RabbitMQ__Host") ?? "localhost";
    public string Output { get; init; } = "bench/results";
    public bool SkipLimits { get; init; }
    /// <summary>Only the gateway comparison: for tuning the proxy without placing orders.</summary>
    public bool GatewayOnly { get; init; }
    /// <summary>Only drop the benchmark's databases (bench.sh does it before a distributed run).</summary>
    public bool DropDatabases { get; init; }
    public bool Quiet { get; init; }
    public Guid ProductId { get; init; } = Guid.Parse("0b0e7a1e-0000-4000-8000-000000000101");

    /// <summary>The distributed mode, on RabbitMQ (<c>distributed</c>) or Kafka (<c>distributed-kafka</c>).</summary>
    public bool Distributed => Mode.StartsWith("distributed", StringComparison.Ordinal);

    public bool OnKafka => Mode == "distributed-kafka";

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            double Number() => double.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--mode" => options with { Mode = Next() },
                "--distributed" => options with { Mode = "distributed" },
                "--gateway" => options with { Gateway = new Uri(Next()) },
                "--direct" => options with { Direct = new Uri(Next()) },
                "--warmup" => options with { WarmupSeconds = Number() },
                "--duration" => options with { DurationSeconds = Number() },
                "--limit-duration" => options with { LimitSeconds = Number() },
                "--customers" => options with { Customers = (int)Number() },
                "--rate" => options with { Rate = Number() },
                "--run-dir" => options with { RunDirectory = Next() },
                "--data-dir" => options with { DataDirectory = Next() },
                "--postgres" => options with { Postgres = Next() },
                "--database-prefix" => options with { DatabasePrefix = Next() },
                "--rabbit-host" => options with { RabbitHost = Next() },
                "--out" => options with { Output = Next() },
                "--skip-limits" => options with { SkipLimits = true },
                "--gateway-only" => options with { GatewayOnly = true },
                "--drop-databases" => options with { DropDatabases = true },
                "--quiet" => options with { Quiet = true },
                "--smoke" => options with { WarmupSeconds = 1, DurationSeconds = 2, LimitSeconds = 1, Customers = 4 },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return options;
    }
}
