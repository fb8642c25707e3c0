using OrderX.Testing;
using System.Net.Http.Headers;

namespace OrderX.EndToEnd.Tests;

/// <summary>A running OrderX reached only through its gateway's HTTP port, as a user reaches it.</summary>
public abstract class OrderXDeployment : IAsyncLifetime
{
    protected static readonly string[] ServiceNames = ["user", "product", "order", "payment", "notification", "web", "gateway"];

    protected OrderXDeployment()
    {
        var ports = FreePorts.Take(ServiceNames.Length * 2 + 1);
        Ports = ServiceNames.Zip(ports).ToDictionary(p => p.First, p => p.Second);
        Http2Ports = ServiceNames.Zip(ports.Skip(ServiceNames.Length)).ToDictionary(p => p.First, p => p.Second);
        MetricsPorts = new Dictionary<string, int> { ["gateway"] = ports[^1] };
        WorkDirectory = Directory.CreateTempSubdirectory($"orderx-e2e-{GetType().Name}-").FullName;
        Gateway = new HttpClient { BaseAddress = new Uri($"http://localhost:{Ports["gateway"]}"), Timeout = TimeSpan.FromSeconds(30) };
        Gateway.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public IReadOnlyDictionary<string, int> Ports { get; }

    /// <summary>The HTTP/2-only port each service opens for the gateway, chosen free like the others.</summary>
    public IReadOnlyDictionary<string, int> Http2Ports { get; }

    /// <summary>The gateway's own metrics port (its public port never answers /metrics).</summary>
    public IReadOnlyDictionary<string, int> MetricsPorts { get; }

    public string WorkDirectory { get; }

    public HttpClient Gateway { get; }

    /// <summary>Where every process of this deployment exports its spans (the real OTLP exporter, over HTTP).</summary>
    public OtlpTraceCollector Traces { get; } = new();

    public abstract string Mode { get; }

    /// <summary>The mail server the notification service sends through; a test sets it refusing to make its sends fail.</summary>
    public SmtpSink Mail { get; } = new();

    /// <summary>A client of one service's own port (as the operator's console reaches it), as <paramref name="caller"/>.</summary>
    public HttpClient ServiceClient(string service, string accessToken)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://localhost:{Ports[service]}"), Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>The HTTP ports of every instance of <paramref name="service"/>, the gateway's first.</summary>
    public virtual IReadOnlyList<int> InstancePorts(string service) => [Ports[service]];

    /// <summary>Makes the payment service disappear without warning (killed).</summary>
    public abstract Task StopPaymentServiceAsync();

    public abstract Task StartPaymentServiceAsync();

    /// <summary>How many orders each running payment-service process reports having charged.</summary>
    public abstract IReadOnlyList<int> ChargesPerPaymentProcess();

    /// <summary>How many orders each running product-service process reports having reserved or rejected.</summary>
    public abstract IReadOnlyList<int> ReservationsPerProductProcess();

    public const string AdminEmail = "admin@e2e.example.com";
    public const string AdminPassword = "correct operator phrase for e2e";

    /// <summary>
    /// A pending order without a final answer is cancelled after this long: longer than the payment-down test's
    /// outage plus a restart of every process on a loaded CI machine (25 s was once too short).
    /// </summary>
    public static readonly TimeSpan PendingTimeout = TimeSpan.FromSeconds(40);

    protected Dictionary<string, string> BaseEnvironment() => new(Traces.Environment)
    {
        ["Ports__gateway"] = $"{Ports["gateway"]}",
        ["Ports__user"] = $"{Ports["user"]}",
        ["Ports__product"] = $"{Ports["product"]}",
        ["Ports__order"] = $"{Ports["order"]}",
        ["Ports__payment"] = $"{Ports["payment"]}",
        ["Ports__notification"] = $"{Ports["notification"]}",
        ["Ports__web"] = $"{Ports["web"]}",
        ["Http2Ports__user"] = $"{Http2Ports["user"]}",
        ["Http2Ports__product"] = $"{Http2Ports["product"]}",
        ["Http2Ports__order"] = $"{Http2Ports["order"]}",
        ["Http2Ports__payment"] = $"{Http2Ports["payment"]}",
        ["Http2Ports__notification"] = $"{Http2Ports["notification"]}",
        ["MetricsPorts__gateway"] = $"{MetricsPorts["gateway"]}",
        ["Data__Path"] = Path.Combine(WorkDirectory, "data"),
        ["Email__SmtpHost"] = "127.0.0.1",
        ["Email__SmtpPort"] = $"{Mail.Port}",
        // The readable lines, which the tests search; off a terminal the default is JSON (the embedded deployment keeps it).
        ["Logging__Console__FormatterName"] = "orderx",
        // The tests count charges and reservations per process from these handlers' step lines, logged at Debug.
        ["Logging__LogLevel__OrderX.Payments.IntegrationEvents.OrderCreatedHandler"] = "Debug",
        ["Logging__LogLevel__OrderX.Products.IntegrationEvents.OrderCreatedHandler"] = "Debug",
        ["Payment__DeclineAbove"] = "1000",
        ["Orders__PendingTimeout"] = PendingTimeout.ToString(),
        ["Orders__TimeoutCheckInterval"] = "00:00:01",
        ["ORDERX_ADMIN_EMAIL"] = AdminEmail,
        ["ORDERX_ADMIN_PASSWORD"] = AdminPassword,
        // Tests drive many customers from one address at full speed; the limiter has its own tests.
        ["Gateway__RateLimits__CustomerPerSecond"] = "100000",
        ["Gateway__RateLimits__CustomerBurst"] = "100000",
        ["Gateway__RateLimits__AddressPerSecond"] = "100000",
        ["Gateway__RateLimits__AddressBurst"] = "100000",
        // Every test signs in from 127.0.0.1, and some fail on purpose; the per-address block has its own unit test.
        ["Auth__Login__MaxFailuresPerAddress"] = "100000",
        ["DOTNET_gcServer"] = "0",
    };

    protected string LogFile(string name) => Path.Combine(WorkDirectory, $"{name}.log");

    /// <summary>Waits until every named service passes its health report (database and broker) and the gateway is live.</summary>
    protected async Task WaitUntilReadyAsync(IEnumerable<(string Name, int Port)> services, Func<string> diagnostics)
    {
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        foreach (var (name, port) in services)
        {
            var path = name == "gateway" ? "/health/live" : "/health";
            var lastAnswer = "no answer yet";
            while (true)
            {
                try
                {
                    using var response = await probe.GetAsync($"http://localhost:{port}{path}");
                    if (response.IsSuccessStatusCode)
                        break;
                    lastAnswer = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                {
                    lastAnswer = error.Message;
                }
                // The processes' tails first and the verdict last: a CI log shows only the end of a long message.
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"{diagnostics()}\n{name} on port {port} never became ready; its {path} last answered: {lastAnswer}");
                await Task.Delay(200);
            }
        }
    }

    protected static string Tail(ServiceProcess process, int lines = 40) =>
        $"--- {process.Name} ({(process.HasExited ? $"exited with code {process.ExitCode}" : "running")}) ---\n{string.Join('\n', process.Lines.TakeLast(lines))}";

    public abstract Task InitializeAsync();

    public virtual async Task DisposeAsync()
    {
        Gateway.Dispose();
        Mail.Dispose();
        await Traces.DisposeAsync();
    }
}
