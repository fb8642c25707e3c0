using OrderX.Testing;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit.Abstractions;

namespace OrderX.EndToEnd.Tests;

/// <summary>
/// The original flow specification's order flow and its failure paths, event by event across the services, through
/// the gateway's HTTP port: what every run mode and every transport must do.
/// </summary>
public abstract class EventFlowTests<TDeployment>(TDeployment deployment, ITestOutputHelper output) where TDeployment : OrderXDeployment
{
    private readonly OrderXClient _client = new(deployment.Gateway, OrderXDeployment.AdminEmail, OrderXDeployment.AdminPassword);

    protected TDeployment Deployment => deployment;

    protected ITestOutputHelper Output => output;

    [Fact]
    public async Task A_placed_order_becomes_paid_and_the_customer_gets_exactly_one_email()
    {
        var user = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(24.90m);
        var clock = Stopwatch.StartNew();

        var orderId = await _client.PlaceOrderAsync(user, product, 2);
        var outcome = await _client.WaitForOutcomeAsync(orderId);

        output.WriteLine($"{deployment.Mode}: POST /order to paid in {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(new OrderStatus(orderId, "paid", "Order Completed Successfully"), outcome);
        var notifications = await _client.WaitForNotificationsAsync(orderId);
        await Task.Delay(500);
        var notification = Assert.Single(await _client.NotificationsAsync(orderId));
        Assert.Equal("order_completed", notification.Kind);
        Assert.Single(notifications);
        var payment = Assert.Single(await _client.PaymentsAsync(orderId));
        Assert.Equal((49.80m, "succeeded"), (payment.Amount, payment.Status));

        using var customer = _client.As(user);
        var order = await customer.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}");
        Assert.Equal(49.80m, order.GetProperty("total").GetDecimal());
        Assert.Equal(2, order.GetProperty("items")[0].GetProperty("quantity").GetInt32());
        Assert.EndsWith("@example.com", order.GetProperty("customerEmail").GetString());
        var mine = await customer.GetFromJsonAsync<JsonElement>("/api/orders");
        Assert.Equal(orderId, Assert.Single(mine.EnumerateArray()).GetProperty("id").GetGuid());

        // The reservation became a sale: two units left the shelf and nothing stays reserved.
        var sold = await Eventually.ValueAsync(() => _client.ProductAsync(product), p => p.Reserved == 0 && p.Stock == 998, "the sale");
        Assert.Equal(998, sold.Available);
        // The e-mail is the last step of the order's history (notification.sent, recorded by the order service).
        var history = (await Eventually.ValueAsync(() => _client.OrderAsync(orderId), o => o.History!.Count == 4, "the e-mail in the order's history")).History!;
        Assert.Equal(["notification.sent", "order.placed", "payment.success", "stock.reserved"], history.Select(h => h.Cause).Order().ToList());
        Assert.Equal("notification.sent", history[^1].Cause);
        Assert.All(history[^2..], h => Assert.Equal("paid", h.Status));
    }

    [Fact]
    public async Task The_order_stream_pushes_every_step_through_the_gateway_and_resumes_after_a_drop_without_repeats()
    {
        var user = await _client.CreateUserAsync();
        var stranger = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(7.50m);
        var orderId = await _client.PlaceOrderAsync(user, product, 1);

        var steps = new List<OrderStep>();
        var (response, first) = await _client.OpenEventsAsync(orderId);
        await using (first)
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            steps.Add(await first!.NextAsync<OrderStep>());
        }
        // The connection dropped after the first step; the client comes back with the last id it saw.
        var (_, resumed) = await _client.OpenEventsAsync(orderId, lastEventId: steps[^1].Id);
        await using (resumed)
        {
            while (steps[^1].Cause != Contracts.NotificationSent.EventType)
                steps.Add(await resumed!.NextAsync<OrderStep>(TimeSpan.FromSeconds(20)));
        }

        Assert.Equal(["notification.sent", "order.placed", "payment.success", "stock.reserved"], steps.Select(s => s.Cause).Order().ToList());
        Assert.Equal(steps.OrderBy(s => s.Id).Select(s => s.Id), steps.Select(s => s.Id));
        Assert.Equal("paid", steps[^1].Status);
        var (strangers, strangerStream) = await _client.OpenEventsAsync(orderId, viewer: stranger);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, strangers.StatusCode);
        Assert.Null(strangerStream);
    }

    [Fact]
    public async Task One_order_is_one_trace_with_spans_from_every_service_it_crosses()
    {
        var user = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(5m);
        // The caller starts the trace, as a traced front end would; the gateway continues it.
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var callerSpanId = ActivitySpanId.CreateRandom().ToHexString();

        var orderId = await _client.PlaceOrderAsync(user, product, 1, traceParent: $"00-{traceId}-{callerSpanId}-01");
        Assert.Equal("paid", (await _client.WaitForOutcomeAsync(orderId)).Status);
        await _client.WaitForNotificationsAsync(orderId);

        string[] services = ["gateway", "order", "product", "payment", "notification"];
        (string Name, string Service)[] steps =
        [
            ($"publish {Contracts.OrderCreated.EventType}", "order"),
            ($"process {Contracts.OrderCreated.EventType}", "payment"),
            ($"process {Contracts.OrderCreated.EventType}", "product"),
            ($"process {Contracts.PaymentSucceeded.EventType}", "order"),
            ($"publish {Contracts.OrderCompleted.EventType}", "order"),
            ($"process {Contracts.OrderCompleted.EventType}", "notification"),
        ];
        static bool Has(IEnumerable<ReceivedSpan> trace, (string Name, string Service) step) =>
            trace.Any(s => s.Name == step.Name && ServiceOf(s) == step.Service);
        // Each service exports on its own schedule, so wait for every step's span, not only for the trace to exist.
        var spans = await Eventually.ValueAsync(() => Task.FromResult(deployment.Traces.Trace(traceId)), trace =>
            services.All(service => trace.Any(s => ServiceOf(s) == service))
            && steps.All(step => Has(trace, step))
            && trace.All(s => s.ParentSpanId == callerSpanId || trace.Any(p => p.SpanId == s.ParentSpanId)),
            "one trace holding every service's spans, each linked to its parent");

        output.WriteLine(string.Join('\n', spans.Select(s => $"{ServiceOf(s),-12} {s.Service,-20} {s.Name}")));
        Assert.Contains(spans, s => s.Name.StartsWith("POST", StringComparison.Ordinal) && ServiceOf(s) == "gateway" && s.ParentSpanId == callerSpanId);
        // The order service's request hangs under the gateway's span (its server's in memory, its client's over a socket), not the caller's.
        Assert.Contains(spans, s => s.Name.StartsWith("POST", StringComparison.Ordinal) && ServiceOf(s) == "order"
            && spans.Any(parent => parent.SpanId == s.ParentSpanId && ServiceOf(parent) == "gateway"));
        Assert.All(steps, step => Assert.True(Has(spans, step), $"no span '{step.Name}' from {step.Service}"));
        Assert.All(spans.Where(s => s.Name.StartsWith("process ", StringComparison.Ordinal)), s => Assert.Equal(orderId.ToString(), s.Attributes["orderx.order_id"]));
        // Exported by the process that made them: the all-in-one under its own name, a distributed service under its.
        Assert.All(spans, s => Assert.Equal(deployment.Mode == "embedded" ? "orderx-allinone" : $"orderx-{ServiceOf(s)}", s.Service));
    }

    /// <summary>The OrderX service a span belongs to: its tag, or else the process that exported it.</summary>
    private static string ServiceOf(ReceivedSpan span) =>
        span.Attributes.TryGetValue("orderx.service", out var service) ? service : span.Service["orderx-".Length..];

    [Fact]
    public async Task The_flow_counters_move_by_exactly_the_orders_that_reached_each_state()
    {
        using var scraper = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        // Every order instance counts the orders whose events it handled.
        async Task<string> ScrapeAsync() => string.Join('\n', await Task.WhenAll(
            deployment.InstancePorts("order").Select(port => scraper.GetStringAsync($"http://localhost:{port}/metrics"))));
        double Paid(string text) => PrometheusText.Sum(text, "orderx_orders_paid_total");
        double Declined(string text) => PrometheusText.Sum(text, "orderx_orders_cancelled_total", "orderx_cancel_reason=\"payment_declined\"");
        double Settled(string text) => PrometheusText.Sum(text, "orderx_order_settle_duration_seconds_count", "orderx_order_outcome=\"paid\"");
        var before = await ScrapeAsync();
        var user = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(5m);
        var expensive = await _client.CreateProductAsync(5000m);

        var orders = new[] { await _client.PlaceOrderAsync(user, product, 1), await _client.PlaceOrderAsync(user, product, 2), await _client.PlaceOrderAsync(user, product, 3) };
        var declined = await _client.PlaceOrderAsync(user, expensive, 1);
        foreach (var orderId in orders)
            Assert.Equal("paid", (await _client.WaitForOutcomeAsync(orderId)).Status);
        Assert.Equal("cancelled", (await _client.WaitForOutcomeAsync(declined)).Status);

        var after = await Eventually.ValueAsync(ScrapeAsync, text => Paid(text) - Paid(before) >= 3 && Declined(text) - Declined(before) >= 1, "the counters' move");
        Assert.Equal(3, Paid(after) - Paid(before));
        Assert.Equal(1, Declined(after) - Declined(before));
        Assert.Equal(3, Settled(after) - Settled(before));
        Assert.True(PrometheusText.Sum(after, "orderx_orders_placed_total") - PrometheusText.Sum(before, "orderx_orders_placed_total") >= 4);
        // The relay counts what the broker confirmed; the runtime's and ASP.NET Core's own figures are there too.
        Assert.True(PrometheusText.Sum(after, "messaging_client_sent_messages_total", "messaging_destination_name=\"order.created\"") >= 4, after);
        Assert.Contains("http_server_request_duration_seconds", PrometheusText.Families(after));
        Assert.Contains("dotnet_gc_collections_total", PrometheusText.Families(after));
    }

    [Fact]
    public async Task The_gateway_answers_metrics_on_its_metrics_port_only_never_on_its_public_port()
    {
        using var scraper = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        using var publicAnswer = await deployment.Gateway.GetAsync("/metrics");
        var own = await scraper.GetStringAsync($"http://localhost:{deployment.MetricsPorts["gateway"]}/metrics");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, publicAnswer.StatusCode);
        Assert.Contains("http_server_request_duration_seconds", PrometheusText.Families(own));
    }

    [Fact]
    public async Task An_order_above_the_card_limit_is_cancelled_its_stock_released_and_the_customer_told()
    {
        var user = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(1500m, stock: 5);

        var orderId = await _client.PlaceOrderAsync(user, product, 1);
        var outcome = await _client.WaitForOutcomeAsync(orderId);

        Assert.Equal("cancelled", outcome.Status);
        Assert.StartsWith("Payment declined: Card declined", outcome.Message);
        Assert.Equal("payment_declined", (await _client.OrderAsync(orderId)).CancelReason);
        var notification = Assert.Single(await _client.WaitForNotificationsAsync(orderId));
        Assert.Equal("payment_declined", notification.Kind);
        Assert.Equal("declined", Assert.Single(await _client.PaymentsAsync(orderId)).Status);
        var shelf = await Eventually.ValueAsync(() => _client.ProductAsync(product), p => p.Reserved == 0, "the release");
        Assert.Equal((5, 5), (shelf.Stock, shelf.Available));
    }

    [Fact]
    public async Task An_order_placed_while_the_payment_service_is_down_waits_and_is_paid_once_when_it_returns()
    {
        var user = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(10m);
        await deployment.StopPaymentServiceAsync();
        Guid orderId;
        try
        {
            orderId = await _client.PlaceOrderAsync(user, product, 1);
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal("pending", (await _client.StatusAsync(orderId)).Status);
        }
        finally
        {
            await deployment.StartPaymentServiceAsync();
        }

        var outcome = await _client.WaitForOutcomeAsync(orderId, timeoutSeconds: 60);

        Assert.Equal("paid", outcome.Status);
        Assert.Single(await _client.PaymentsAsync(orderId));
        Assert.Single(await _client.WaitForNotificationsAsync(orderId));
    }

    [Fact]
    public async Task An_order_for_more_than_is_in_stock_is_cancelled_and_its_payment_refunded()
    {
        var user = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(20m, stock: 1);

        var orderId = await _client.PlaceOrderAsync(user, product, 2);
        var outcome = await _client.WaitForOutcomeAsync(orderId);

        Assert.Equal("cancelled", outcome.Status);
        Assert.StartsWith("Out of stock: Only 1 of", outcome.Message);
        var payment = await Eventually.ValueAsync(async () => (await _client.PaymentsAsync(orderId)).SingleOrDefault(),
            p => p?.Status == "refunded", "the refund");
        Assert.Equal(40m, payment!.Amount);
        var kinds = await Eventually.ValueAsync(async () => (await _client.NotificationsAsync(orderId)).Select(n => n.Kind).Order().ToList(),
            k => k.Count == 2, "both e-mails");
        Assert.Equal(["out_of_stock", "payment_refunded"], kinds);
        var order = await Eventually.ValueAsync(() => _client.OrderAsync(orderId), o => o.Payment == "refunded", "the refund in the order");
        Assert.Contains(order.History!, h => h.Cause == "payment.refunded");
        Assert.Equal((1, 0), ((await _client.ProductAsync(product)).Stock, (await _client.ProductAsync(product)).Reserved));
    }

    [Fact]
    public async Task An_event_a_service_gave_up_on_is_shown_and_discarded_or_replayed_through_its_admin_api()
    {
        var admin = await _client.AdminAsync();
        using var notification = deployment.ServiceClient("notification", admin.Tokens.AccessToken);
        var user = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(3m);
        var places = (await notification.GetFromJsonAsync<DeadLetterReportSeen>("/api/admin/dead-letters"))!.Places.Select(p => p.Name).ToList();
        // A queue per subscription, or (Kafka) one topic for the whole service.
        var place = places.Count == 1 ? places[0] : places.Single(p => p.EndsWith(Contracts.OrderCompleted.EventType, StringComparison.Ordinal));
        using (var customer = deployment.ServiceClient("notification", user.Tokens.AccessToken))
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await customer.GetAsync("/api/admin/dead-letters")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await notification.PostAsync("/api/admin/dead-letters/payment.order.created/replay", null)).StatusCode);

        Guid dropped, replayed;
        deployment.Mail.Refusing = true;
        try
        {
            dropped = await _client.PlaceOrderAsync(user, product, 1);
            Assert.Equal("paid", (await _client.WaitForOutcomeAsync(dropped)).Status);
            await WaitForDeadLetterAsync(notification, place, dropped);
            Assert.Equal(1, (await SettleAsync(notification, place, "discard")).Messages);

            replayed = await _client.PlaceOrderAsync(user, product, 1);
            Assert.Equal("paid", (await _client.WaitForOutcomeAsync(replayed)).Status);
            var letter = Assert.Single((await WaitForDeadLetterAsync(notification, place, replayed)).Messages);
            Assert.Equal(Contracts.OrderCompleted.EventType, letter.Type);
            Assert.False(string.IsNullOrWhiteSpace(letter.Reason));
            Assert.Contains(replayed.ToString(), letter.Body);
        }
        finally
        {
            deployment.Mail.Refusing = false;
        }

        // The mail server is back: the replay sends the e-mail and the order's history records it.
        Assert.Equal(1, (await SettleAsync(notification, place, "replay")).Messages);
        var sent = Assert.Single(await _client.WaitForNotificationsAsync(replayed, timeoutSeconds: 60));
        Assert.Contains(deployment.Mail.Messages, m => m.Contains(sent.Id.ToString(), StringComparison.Ordinal));
        await Eventually.ValueAsync(() => _client.OrderAsync(replayed), o => o.History!.Any(h => h.Cause == Contracts.NotificationSent.EventType), "the e-mail in the order's history");
        Assert.Empty(await _client.NotificationsAsync(dropped));
        Assert.Empty((await notification.GetFromJsonAsync<DeadLetterListingSeen>($"/api/admin/dead-letters/{place}"))!.Messages);
    }

    protected static async Task<DeadLetterListingSeen> WaitForDeadLetterAsync(HttpClient service, string place, Guid orderId) =>
        await Eventually.ValueAsync(async () => (await service.GetFromJsonAsync<DeadLetterListingSeen>($"/api/admin/dead-letters/{place}"))!,
            listing => listing.Messages.Any(m => m.Subject == orderId.ToString()), $"order {orderId}'s order.completed among the dead letters", timeoutSeconds: 90);

    protected static async Task<DeadLetterOutcomeSeen> SettleAsync(HttpClient service, string place, string action)
    {
        using var response = await service.PostAsync($"/api/admin/dead-letters/{place}/{action}", null);
        Assert.True(response.IsSuccessStatusCode, $"{action}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<DeadLetterOutcomeSeen>())!;
    }

    [Fact]
    public async Task The_bus_feed_shows_every_event_of_an_order_with_the_service_that_published_it()
    {
        string[] expected = ["notification.sent", "order.completed", "order.created", "payment.success", "stock.reserved"];
        var admin = await _client.AdminAsync();
        var user = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(4m);
        using var order = deployment.ServiceClient("order", admin.Tokens.AccessToken);
        // Refusals are answers, whatever the client accepts (an EventSource accepts only the stream).
        using (var anonymous = new HttpClient { BaseAddress = order.BaseAddress })
        {
            var (unsigned, _) = await EventStream.OpenAsync(anonymous, "/api/admin/bus");
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, unsigned.StatusCode);
            var (refused, _) = await EventStream.OpenAsync(anonymous, "/api/admin/bus", user.Tokens.AccessToken);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        var seen = new List<BusEventSeen>();
        var (response, stream) = await EventStream.OpenAsync(order, "/api/admin/bus");
        Guid orderId;
        await using (stream)
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            orderId = await _client.PlaceOrderAsync(user, product, 1);
            // Until every kind has come, not until the last one in the flow: the feed reads each event's own topic (on
            // Kafka, its own partitions), so it may see notification.sent before the order.completed that caused it.
            while (!expected.All(type => seen.Any(e => e.OrderId == orderId.ToString() && e.Type == type)))
                seen.Add(await stream!.NextAsync<BusEventSeen>(TimeSpan.FromSeconds(30)));
        }

        var mine = seen.Where(e => e.OrderId == orderId.ToString()).ToList();
        Assert.Equal(expected, mine.Select(e => e.Type).Distinct().Order().ToList());
        Assert.Equal(("order", "payment", "product", "notification"),
            (Source("order.created"), Source("payment.success"), Source("stock.reserved"), Source("notification.sent")));
        Assert.All(mine, e => Assert.True(e.PublishedAt <= e.SeenAt.AddSeconds(1), $"{e.Type} seen at {e.SeenAt:O}, published at {e.PublishedAt:O}"));
        Assert.Equal(seen.Count, seen.Select(e => e.Sequence).Distinct().Count());
        string? Source(string type) => mine.First(e => e.Type == type).Service;
    }
}

public sealed record DeadLetterPlaceSeen(string Name, long? Count);

public sealed record DeadLetterReportSeen(string Service, List<DeadLetterPlaceSeen> Places);

public sealed record DeadLetterMessageSeen(string MessageId, string Type, string? Subject, string? Reason, string Body);

public sealed record DeadLetterListingSeen(string Service, string Place, List<DeadLetterMessageSeen> Messages);

public sealed record DeadLetterOutcomeSeen(string Service, string Place, string Action, int Messages);

public sealed record BusEventSeen(long Sequence, Guid Id, string Type, string? OrderId, string? Service, DateTimeOffset? PublishedAt, DateTimeOffset SeenAt);

[Collection("end-to-end")]
public sealed class KafkaEventFlowTests(KafkaDistributedDeployment deployment, ITestOutputHelper output)
    : EventFlowTests<KafkaDistributedDeployment>(deployment, output), IClassFixture<KafkaDistributedDeployment>
{
    private readonly OrderXClient _client = new(deployment.Gateway, OrderXDeployment.AdminEmail, OrderXDeployment.AdminPassword);

    [Fact]
    public async Task Orders_arriving_while_the_payment_services_are_killed_and_restarted_are_each_paid_once()
    {
        var user = await _client.CreateUserAsync();
        var product = await _client.CreateProductAsync(2m);
        var placing = Task.Run(async () =>
        {
            var ids = new List<Guid>();
            for (var i = 0; i < 20; i++)
            {
                ids.Add(await _client.PlaceOrderAsync(user, product, 1));
                await Task.Delay(150);
            }
            return ids;
        });

        await Task.Delay(800);
        await Deployment.StopPaymentServiceAsync();
        await Task.Delay(1000);
        await Deployment.StartPaymentServiceAsync();
        var orderIds = await placing;

        var outcomes = await Task.WhenAll(orderIds.Select(id => _client.WaitForOutcomeAsync(id, timeoutSeconds: 90)));
        Assert.All(outcomes, o => Assert.Equal("paid", o.Status));
        foreach (var orderId in orderIds)
            Assert.Single(await _client.PaymentsAsync(orderId));
    }
}
