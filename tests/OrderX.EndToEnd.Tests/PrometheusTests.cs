using System.Text;
using OrderX.ServiceData;
using OrderX.Testing;
using RabbitMQ.Client;

namespace OrderX.EndToEnd.Tests;

/// <summary>
/// What an operator's Prometheus sees of a distributed OrderX: the flow's counters and histogram move by exactly
/// the orders, the outbox backlog shows a broker outage and drains after it, a poisoned message fires the alert.
/// </summary>
public sealed class PrometheusTests(ObservedDistributedDeployment deployment) : IClassFixture<ObservedDistributedDeployment>
{
    private readonly OrderXClient _client = new(deployment.Gateway, OrderXDeployment.AdminEmail, OrderXDeployment.AdminPassword);

    private Task<double> ValueAsync(string query) => deployment.Prometheus.ValueAsync(query).ContinueWith(t => t.Result ?? 0);

    [Fact]
    public async Task The_paid_counter_and_the_time_to_paid_histogram_move_by_exactly_the_orders_paid()
    {
        const string paid = "sum(orderx_orders_paid_total)";
        const string settled = "sum(orderx_order_settle_duration_seconds_count{orderx_order_outcome=\"paid\"})";
        var (paidBefore, settledBefore) = (await ValueAsync(paid), await ValueAsync(settled));
        var user = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(7m);

        var orders = new List<Guid>();
        for (var i = 0; i < 5; i++)
            orders.Add(await _client.PlaceOrderAsync(user, product, 1));
        foreach (var orderId in orders)
            Assert.Equal("paid", (await _client.WaitForOutcomeAsync(orderId)).Status);

        await Eventually.ValueAsync(() => ValueAsync(paid), value => value >= paidBefore + 5, "Prometheus seeing the paid orders");
        await Task.Delay(TimeSpan.FromSeconds(2)); // two more scrapes: nothing counted twice
        Assert.Equal(paidBefore + 5, await ValueAsync(paid));
        Assert.Equal(settledBefore + 5, await ValueAsync(settled));
        Assert.True(await ValueAsync("sum(rate(http_server_request_duration_seconds_count{job=\"orderx-gateway\"}[1m]))") > 0);
    }

    [Fact]
    public async Task The_outbox_backlog_rises_while_the_broker_is_out_of_reach_and_drains_when_it_is_back()
    {
        const string backlog = "sum(orderx_outbox_pending{job=\"orderx-order\"})";
        var user = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(3m);

        deployment.BrokerProxy.Stop();
        var orders = new List<Guid>();
        try
        {
            for (var i = 0; i < 3; i++)
                orders.Add(await _client.PlaceOrderAsync(user, product, 1)); // accepted while the broker is away
            await Eventually.ValueAsync(() => ValueAsync(backlog), value => value >= 3, "the backlog seen by Prometheus");
        }
        finally
        {
            deployment.BrokerProxy.Start();
        }

        await Eventually.ValueAsync(() => ValueAsync(backlog), value => value == 0, "the backlog drained", timeoutSeconds: 60);
        foreach (var orderId in orders)
            Assert.Equal("paid", (await _client.WaitForOutcomeAsync(orderId, timeoutSeconds: 60)).Status);
    }

    [Fact]
    public async Task Every_subscription_reports_its_queue_depth_and_an_idle_shop_has_nothing_waiting()
    {
        var subscriptions = OrderXSubscriptions.All.Select(s => $"{s.Service}.{s.Event}").Order().ToList();

        // Instances of one service see the same queue: the maximum over them is the queue's depth.
        var depths = await Eventually.ValueAsync(() => deployment.Prometheus.SamplesAsync(
                "max by (job, messaging_destination_subscription_name) (orderx_consumer_queue_depth)"),
            samples => samples.Count >= subscriptions.Count && samples.All(s => s.Value == 0), "every queue's depth, all drained", timeoutSeconds: 60);

        Assert.Equal(subscriptions, depths.Select(s => s.Labels["messaging_destination_subscription_name"]).Order());
        Assert.All(depths, s => Assert.Equal($"orderx-{s.Labels["messaging_destination_subscription_name"].Split('.')[0]}", s.Labels["job"]));
        Assert.Empty(await deployment.Prometheus.SamplesAsync("orderx_consumer_lag"));
    }

    [Fact]
    public async Task A_poisoned_message_is_dead_lettered_and_raises_the_dead_letter_alert()
    {
        var factory = new ConnectionFactory { HostName = TestInfrastructure.RabbitMqHost };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            // Not an envelope: every delivery fails, until the transport gives up and dead-letters it.
            await channel.BasicPublishAsync(deployment.ExchangeName, "payment.refund", mandatory: true,
                new BasicProperties { MessageId = Guid.NewGuid().ToString(), Persistent = true }, Encoding.UTF8.GetBytes("{ not json"));
        }

        var alerts = await Eventually.ValueAsync(deployment.Prometheus.FiringAlertsAsync,
            firing => firing.Any(a => a["alertname"] == "OrderXDeadLetters"), "the dead-letter alert firing", timeoutSeconds: 60);
        var alert = alerts.First(a => a["alertname"] == "OrderXDeadLetters");
        Assert.Equal("payment.payment.refund", alert["messaging_destination_subscription_name"]);
        Assert.Equal("page", alert["severity"]);
    }
}
