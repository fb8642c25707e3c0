using OrderX.Testing;

namespace OrderX.EndToEnd.Tests;

/// <summary>
/// Distributed mode: every service its own process, on PostgreSQL and RabbitMQ, with two payment-service, two
/// product-service and two order-service instances competing for their queues (the gateway reaches the first of
/// each, so the second order instance handles events for orders whose requests the first one answers). Databases and exchange carry a unique suffix and are
/// removed after.
/// </summary>
public class DistributedDeployment : OrderXDeployment
{
    private static readonly (string Name, string Project)[] Services =
    [
        ("user", "OrderX.Users"), ("order", "OrderX.Orders"), ("notification", "OrderX.Notifications"), ("web", "OrderX.Web"), ("gateway", "OrderX.Gateway"),
    ];

    protected string Suffix { get; } = TestInfrastructure.UniqueSuffix();
    private readonly int _secondPaymentPort = FreePorts.Take(1)[0];
    private readonly int _secondProductPort = FreePorts.Take(1)[0];
    private readonly int _secondOrderPort = FreePorts.Take(1)[0];
    private readonly List<ServiceProcess> _processes = [];
    private readonly List<ServiceProcess> _payments = [];
    private readonly List<ServiceProcess> _products = [];

    public override string Mode => "distributed";

    /// <summary>The second payment, product and order instances, which compete for their queues: (service, port).</summary>
    public IReadOnlyList<(string Service, int Port)> SecondInstances => [("payment", _secondPaymentPort), ("product", _secondProductPort), ("order", _secondOrderPort)];

    public override IReadOnlyList<int> InstancePorts(string service) =>
        [Ports[service], .. SecondInstances.Where(i => i.Service == service).Select(i => i.Port)];

    protected string Exchange => $"orderx-e2e-{Suffix}";

    private string DatabasePrefix => $"orderx_e2e_{Suffix}_";

    private Dictionary<string, string> Environment()
    {
        var environment = BaseEnvironment();
        environment["Database__Provider"] = "postgres";
        environment["ConnectionStrings__Postgres"] = TestInfrastructure.PostgresServer;
        environment["Database__NamePrefix"] = DatabasePrefix;
        UseTransport(environment);
        return environment;
    }

    /// <summary>The broker every process uses; RabbitMQ on an exchange of this deployment's own.</summary>
    protected virtual void UseTransport(Dictionary<string, string> environment)
    {
        environment["Messaging__Transport"] = "rabbitmq";
        environment["RabbitMQ__Host"] = TestInfrastructure.RabbitMqHost;
        environment["RabbitMQ__Exchange"] = Exchange;
    }

    /// <summary>Removes what this deployment declared on the broker.</summary>
    protected virtual Task RemoveBrokerStateAsync() => TestBroker.DeleteAsync(Exchange, Queues().Select(q => $"{Exchange}.{q}"));

    public override async Task InitializeAsync()
    {
        // Product instances first, one after the other: the first creates the schema, as a rolling deployment would.
        _products.Add(ServiceProcess.Start("product-1", "OrderX.Products", Environment(), WorkDirectory, LogFile("product-1")));
        await WaitUntilReadyAsync([("product", Ports["product"])], Diagnostics);
        var second = Environment();
        second["Ports__product"] = $"{_secondProductPort}";
        second["Http2Ports__product"] = "0"; // the gateway proxies to the first instance only
        _products.Add(ServiceProcess.Start("product-2", "OrderX.Products", second, WorkDirectory, LogFile("product-2")));
        foreach (var (name, project) in Services)
            _processes.Add(ServiceProcess.Start(name, project, Environment(), WorkDirectory, LogFile(name)));
        await WaitUntilReadyAsync([("product", _secondProductPort), ("order", Ports["order"])], Diagnostics);
        var secondOrder = Environment();
        secondOrder["Ports__order"] = $"{_secondOrderPort}";
        secondOrder["Http2Ports__order"] = "0";
        _processes.Add(ServiceProcess.Start("order-2", "OrderX.Orders", secondOrder, WorkDirectory, LogFile("order-2")));
        await WaitUntilReadyAsync([("order", _secondOrderPort)], Diagnostics);
        await StartPaymentServiceAsync();
        await WaitUntilReadyAsync(ServiceNames.Select(n => (n, Ports[n])), Diagnostics);
    }

    /// <summary>Every queue the services declare: the ones the committed RabbitMQ definitions list (a deployment test keeps them equal).</summary>
    private static IEnumerable<string> Queues()
    {
        var definitions = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "rabbitmq", "definitions.json")))!;
        return definitions["queues"]!.AsArray().Select(q => q!["name"]!.GetValue<string>())
            .Where(name => !name.EndsWith(".dlq", StringComparison.Ordinal))
            .Select(name => name["orderx.".Length..]);
    }

    public override Task StopPaymentServiceAsync()
    {
        foreach (var payment in _payments)
            payment.Kill();
        return Task.CompletedTask;
    }

    public override async Task StartPaymentServiceAsync()
    {
        foreach (var payment in _payments)
            payment.Dispose();
        _payments.Clear();
        // The second instance starts once the first has created the schema, as a rolling deployment would.
        _payments.Add(ServiceProcess.Start("payment-1", "OrderX.Payments", Environment(), WorkDirectory, LogFile("payment-1")));
        await WaitUntilReadyAsync([("payment", Ports["payment"])], Diagnostics);
        var second = Environment();
        second["Ports__payment"] = $"{_secondPaymentPort}";
        second["Http2Ports__payment"] = "0"; // the gateway proxies to the first instance only
        _payments.Add(ServiceProcess.Start("payment-2", "OrderX.Payments", second, WorkDirectory, LogFile("payment-2")));
        await WaitUntilReadyAsync([("payment", _secondPaymentPort)], Diagnostics);
    }

    public override IReadOnlyList<int> ChargesPerPaymentProcess() =>
        _payments.Select(p => p.Lines.Count(l => l.Contains("OrderCreatedHandler", StringComparison.Ordinal) && l.Contains(" charged ", StringComparison.Ordinal))).ToList();

    public override IReadOnlyList<int> ReservationsPerProductProcess() =>
        _products.Select(p => p.Lines.Count(l => l.Contains("reserved; stock.reserved queued", StringComparison.Ordinal)
                                              || l.Contains("stock.rejected queued", StringComparison.Ordinal))).ToList();

    private IEnumerable<ServiceProcess> All => _processes.Concat(_products).Concat(_payments);

    private string Diagnostics() => string.Join('\n', All.Select(p => Tail(p)));

    public override async Task DisposeAsync()
    {
        foreach (var process in All)
            process.Dispose();
        await base.DisposeAsync();
        await TestDatabases.DropAsync(DatabasePrefix + "%");
        await RemoveBrokerStateAsync();
    }
}
