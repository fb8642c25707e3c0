using System.Diagnostics;
using OrderX.Testing;

namespace OrderX.Chaos;

/// <summary>
/// A distributed OrderX of the run's own (databases orderxchaos_*, its own exchange or topic prefix, free ports,
/// run directory .run/chaos), started, restarted and stopped with the project's scripts as an operator would.
/// Its services reach RabbitMQ through a TCP proxy, so the network to the broker can be cut and restored.
/// </summary>
public sealed class ChaosDeployment : IAsyncDisposable
{
    public static readonly string[] ServiceNames = ["user", "product", "order", "payment", "notification", "gateway"];
    private static readonly Dictionary<string, string> Projects = new()
    {
        ["user"] = "OrderX.Users", ["product"] = "OrderX.Products", ["order"] = "OrderX.Orders",
        ["payment"] = "OrderX.Payments", ["notification"] = "OrderX.Notifications", ["gateway"] = "OrderX.Gateway",
    };

    private readonly ChaosOptions _options;
    private readonly Dictionary<string, string> _environment;
    private readonly List<Process> _extraInstances = [];

    public ChaosDeployment(ChaosOptions options)
    {
        _options = options;
        RunDirectory = Path.Combine(options.Root, ".run", "chaos");
        BrokerProxy = new TcpProxy(options.RabbitHost, options.RabbitPort);
        var ports = FreePorts.Take(ServiceNames.Length + 1);
        Ports = ServiceNames.Zip(ports).ToDictionary(p => p.First, p => p.Second);
        KafkaPrefix = $"{ChaosOptions.KafkaPrefix}{DateTime.UtcNow:yyyyMMddHHmmss}.";
        _environment = new Dictionary<string, string>
        {
            ["ORDERX_RUN_DIR"] = RunDirectory,
            ["Data__Path"] = Path.Combine(RunDirectory, "data"),
            ["Database__NamePrefix"] = ChaosOptions.DatabasePrefix,
            ["ConnectionStrings__Postgres"] = options.Postgres,
            ["RabbitMQ__Host"] = "127.0.0.1",
            ["RabbitMQ__Port"] = $"{BrokerProxy.Port}",
            ["RabbitMQ__Exchange"] = ChaosOptions.Exchange,
            ["Kafka__Prefix"] = KafkaPrefix,
            ["ORDERX_ADMIN_EMAIL"] = AdminEmail,
            ["ORDERX_ADMIN_PASSWORD"] = AdminPassword,
            ["MetricsPorts__gateway"] = $"{ports[^1]}",
            ["Logging__Console__FormatterName"] = "orderx", // the run's logs are for the person reading the findings
        };
        foreach (var (name, port) in Ports)
        {
            _environment[$"Ports__{name}"] = $"{port}";
            _environment[$"Http2Ports__{name}"] = "0"; // the gateway and the services talk HTTP/1.1 here: fewer ports to find free
        }
    }

    public const string AdminEmail = "chaos-admin@orderx.local";
    public string AdminPassword { get; } = $"chaos {Guid.NewGuid():N}";
    public string RunDirectory { get; }
    public string KafkaPrefix { get; }
    public IReadOnlyDictionary<string, int> Ports { get; }
    public TcpProxy BrokerProxy { get; }
    public Uri Gateway => new($"http://127.0.0.1:{Ports["gateway"]}");
    public string MailDirectory => Path.Combine(RunDirectory, "data", "mail");

    private IEnumerable<string> TransportArguments => _options.Kafka is { } kafka ? ["--kafka", kafka] : ["--distributed"];

    public async Task StartAsync(Action<string> log)
    {
        if (Directory.Exists(RunDirectory))
        {
            await Shell.RunAsync("bash", ["scripts/stop.sh"], _environment, _options.Root);
            Directory.Delete(RunDirectory, recursive: true);
        }
        Directory.CreateDirectory(RunDirectory);
        BrokerProxy.Start();
        var (exit, output) = await StartScriptAsync(TransportArguments.Append("--no-build"));
        if (exit != 0)
            throw new InvalidOperationException($"scripts/start.sh failed:\n{output}");
        log($"OrderX is up: gateway {Gateway}, services on ports {string.Join(", ", Ports.Select(p => $"{p.Key} {p.Value}"))}, logs in {RunDirectory}");
    }

    /// <summary>kill -9 of the process named by the service's pid file, as a crash would end it.</summary>
    public int Kill(string service)
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(RunDirectory, $"{service}.pid")).Trim());
        using var process = Process.GetProcessById(pid);
        process.Kill();
        process.WaitForExit(TimeSpan.FromSeconds(10));
        return pid;
    }

    /// <summary><c>scripts/start.sh --only</c>: the documented way to bring one service back.</summary>
    public async Task RestartAsync(string service)
    {
        var (exit, output) = await StartScriptAsync(TransportArguments.Concat(["--only", service]));
        if (exit != 0)
            throw new InvalidOperationException($"scripts/start.sh --only {service} failed:\n{output}");
    }

    // The build start.sh uses (ORDERX_CONFIGURATION, Release unless set), so both kinds of instance run the same code.
    private static string BuildConfiguration => (Environment.GetEnvironmentVariable("ORDERX_CONFIGURATION") ?? "Release").ToLowerInvariant();

    /// <summary>Another instance of a consuming service on a port of its own, competing for its queues.</summary>
    public async Task<Process> StartExtraInstanceAsync(string service)
    {
        var port = FreePorts.Take(1)[0];
        var info = new ProcessStartInfo("dotnet", [Path.Combine(_options.Root, "artifacts", "bin", Projects[service], BuildConfiguration, $"{Projects[service]}.dll")])
        {
            WorkingDirectory = _options.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in _environment)
            info.Environment[name] = value;
        info.Environment["Database__Provider"] = "postgres";
        info.Environment["Messaging__Transport"] = _options.Kafka is null ? "rabbitmq" : "kafka";
        if (_options.Kafka is { } kafka)
            info.Environment["Kafka__BootstrapServers"] = kafka;
        info.Environment[$"Ports__{service}"] = $"{port}";
        var process = Process.Start(info)!;
        var log = new StreamWriter(Path.Combine(RunDirectory, $"{service}-extra.log"), append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.WriteLine(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.WriteLine(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _extraInstances.Add(process);
        await WaitUntilReadyAsync(port, TimeSpan.FromMinutes(2));
        return process;
    }

    public static async Task WaitUntilReadyAsync(int port, TimeSpan within)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await probe.GetAsync($"http://127.0.0.1:{port}/health");
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"the service on port {port} did not become ready within {within}");
    }

    private Task<(int Exit, string Output)> StartScriptAsync(IEnumerable<string> arguments) =>
        Shell.RunAsync("bash", ["scripts/start.sh", .. arguments], _environment, _options.Root, TimeSpan.FromMinutes(5));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _extraInstances)
        {
            if (!process.HasExited)
                process.Kill();
            process.Dispose();
        }
        await Shell.RunAsync("bash", ["scripts/stop.sh"], _environment, _options.Root);
        await BrokerProxy.DisposeAsync();
    }
}
