using OrderX.Testing;

namespace OrderX.EndToEnd.Tests;

/// <summary>
/// Distributed mode: every service its own process, on PostgreSQL and RabbitMQ, with two payment-service
/// instances competing for the same queue. Databases and exchange carry a unique suffix and are removed after.
/// </summary>
public sealed class DistributedDeployment : OrderXDeployment
{
    private static readonly (string Name, string Project)[] Services =
    [
        ("user", "OrderX.Users"), ("product", "OrderX.Products"), ("order", "OrderX.Orders"),
        ("notification", "OrderX.Notifications"), ("gateway", "OrderX.Gateway"),
    ];

    private static readonly string[] Queues =
        ["payment.order.created", "order.payment.success", "order.payment.failed", "notification.order.completed", "notification.order.cancelled"];

    private readonly string _suffix = TestInfrastructure.UniqueSuffix();
    private readonly int _secondPaymentPort = FreePorts.Take(1)[0];
    private readonly List<ServiceProcess> _processes = [];
    private readonly List<ServiceProcess> _payments = [];

    public override string Mode => "distributed";

    private string Exchange => $"orderx-e2e-{_suffix}";

    private string DatabasePrefix => $"orderx_e2e_{_suffix}_";

    private Dictionary<string, string> Environment()
    {
        var environment = BaseEnvironment();
        environment["Database__Provider"] = "postgres";
        environment["ConnectionStrings__Postgres"] = TestInfrastructure.PostgresServer;
        environment["Database__NamePrefix"] = DatabasePrefix;
        environment["Messaging__Transport"] = "rabbitmq";
        environment["RabbitMQ__Host"] = TestInfrastructure.RabbitMqHost;
        environment["RabbitMQ__Exchange"] = Exchange;
        return environment;
    }

    public override async Task InitializeAsync()
    {
        foreach (var (name, project) in Services)
            _processes.Add(ServiceProcess.Start(name, project, Environment(), WorkDirectory, LogFile(name)));
        await StartPaymentServiceAsync();
        await WaitUntilReadyAsync(ServiceNames.Select(n => (n, Ports[n])), Diagnostics);
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
        _payments.Add(ServiceProcess.Start("payment-2", "OrderX.Payments", second, WorkDirectory, LogFile("payment-2")));
        await WaitUntilReadyAsync([("payment", _secondPaymentPort)], Diagnostics);
    }

    public override IReadOnlyList<int> ChargesPerPaymentProcess() =>
        _payments.Select(p => p.Lines.Count(l => l.Contains("OrderCreatedHandler", StringComparison.Ordinal) && l.Contains(" charged ", StringComparison.Ordinal))).ToList();

    private string Diagnostics() => string.Join('\n', _processes.Concat(_payments).Select(p => Tail(p)));

    public override async Task DisposeAsync()
    {
        foreach (var process in _processes.Concat(_payments))
            process.Dispose();
        await base.DisposeAsync();
        await TestDatabases.DropAsync(DatabasePrefix + "%");
        await TestBroker.DeleteAsync(Exchange, Queues.Select(q => $"{Exchange}.{q}"));
    }
}
