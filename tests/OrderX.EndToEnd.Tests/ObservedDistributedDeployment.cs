using OrderX.Testing;

namespace OrderX.EndToEnd.Tests;

/// <summary>
/// Distributed mode whose services reach RabbitMQ through a TCP proxy (so a test can cut them off the broker while
/// others share it), with a real Prometheus scraping every process, the second instances included.
/// </summary>
public sealed class ObservedDistributedDeployment : DistributedDeployment
{
    public TcpProxy BrokerProxy { get; } = new(TestInfrastructure.RabbitMqHost, 5672);

    public PrometheusServer Prometheus { get; private set; } = null!;

    public string ExchangeName => Exchange;

    protected override void UseTransport(Dictionary<string, string> environment)
    {
        base.UseTransport(environment);
        environment["RabbitMQ__Host"] = "127.0.0.1";
        environment["RabbitMQ__Port"] = $"{BrokerProxy.Port}";
    }

    public override async Task InitializeAsync()
    {
        BrokerProxy.Start();
        await base.InitializeAsync();
        var targets = ServiceNames.Where(n => n != "gateway").Select(n => ($"orderx-{n}", Ports[n]))
            .Concat(SecondInstances.Select(i => ($"orderx-{i.Service}", i.Port)))
            .Append(("orderx-gateway", MetricsPorts["gateway"]));
        Prometheus = await PrometheusServer.StartAsync(targets);
    }

    public override async Task DisposeAsync()
    {
        if (Prometheus is not null)
            await Prometheus.DisposeAsync();
        await base.DisposeAsync();
        await BrokerProxy.DisposeAsync();
    }
}
