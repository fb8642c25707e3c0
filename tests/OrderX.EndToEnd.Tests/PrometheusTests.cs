using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
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
        // From a still baseline: an earlier test's order may be paid yet not scraped (counted after its commit).
        var (paidBefore, settledBefore) = await SteadyAsync(paid, settled);
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

    private async Task<(double, double)> SteadyAsync(string first, string second)
    {
        var previous = (await ValueAsync(first), await ValueAsync(second));
        for (var attempt = 0; attempt < 30; attempt++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2)); // two scrapes
            var now = (await ValueAsync(first), await ValueAsync(second));
            if (now == previous)
                return now;
            previous = now;
        }
        throw new TimeoutException($"{first} and {second} kept moving");
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
    public async Task Every_query_of_the_grafana_dashboard_evaluates_and_reads_metrics_that_exist()
    {
        var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "infra", "grafana", "dashboards", "orderx.json"))).RootElement;
        var queries = dashboard.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => (Panel: p.GetProperty("title").GetString()!, Expr: t.GetProperty("expr").GetString()!)))
            .ToList();
        var committed = File.ReadAllLines(Path.Combine(RepoPaths.Root, "infra", "prometheus", "orderx-metrics.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ')[0]).ToHashSet();
        // One paid order first, so the flow's and the platform's series exist.
        var user = await _client.CreateUserAsync();
        Assert.Equal("paid", (await _client.WaitForOutcomeAsync(await _client.PlaceOrderAsync(user, await _client.CreateProductAsync(2m), 1))).Status);
        // The platform's series appear with their first use (the rate limiter's with the first limited request) and
        // the next scrape: waited for, every one the dashboard reads.
        var platform = queries.SelectMany(q => MetricNames(q.Expr)).Where(name => !IsOrderX(name)).ToHashSet();
        var present = await Eventually.ValueAsync(deployment.Prometheus.MetricNamesAsync, names => platform.IsSubsetOf(names),
            $"the platform's metrics scraped: {string.Join(", ", platform)}");

        Assert.True(queries.Count >= 30, $"{queries.Count} queries");
        foreach (var (panel, expr) in queries)
        {
            // Grafana's own variables, as Grafana would fill them in.
            var query = expr.Replace("$__rate_interval", "1m");
            var error = await deployment.Prometheus.QueryErrorAsync(query);
            Assert.True(error is null, $"{panel}: {query}: {error}");
            foreach (var name in MetricNames(query))
            {
                // OrderX's own may have no series yet (no refund so far); the platform's must be scraped already.
                var known = IsOrderX(name) ? committed.Contains(name) : present.Contains(name);
                Assert.True(known, $"{panel}: {name} is not a metric OrderX exports");
            }
        }
    }

    // The metric names in a query: what is left of it without its grouping labels and its matchers; OrderX's own
    // folded into their family (..._bucket is the histogram's), as the committed list names them.
    private static IEnumerable<string> MetricNames(string query)
    {
        var bare = Regex.Replace(Regex.Replace(query, @"(by|without) \([^)]*\)", ""), @"\{[^}]*\}", "");
        return Regex.Matches(bare, @"\b(?:orderx|messaging|http|dotnet|db|aspnetcore|kestrel)_[a-z0-9_]+").Select(m => m.Value)
            .Select(name => IsOrderX(name) ? Regex.Replace(name, "_(bucket|sum|count)$", "") : name);
    }

    private static bool IsOrderX(string name) => name.StartsWith("orderx_", StringComparison.Ordinal) || name.StartsWith("messaging_", StringComparison.Ordinal);

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
