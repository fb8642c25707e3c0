using OrderX.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace OrderX.EndToEnd.Tests.Browser;

/// <summary>The operator's console in a real browser, through the gateway of a running OrderX, in both run modes.</summary>
public abstract class ConsoleTests<TDeployment>(TDeployment deployment, Chromium chromium, ITestOutputHelper output)
    where TDeployment : OrderXDeployment
{
    private readonly OrderXClient _api = new(deployment.Gateway, OrderXDeployment.AdminEmail, OrderXDeployment.AdminPassword);
    private string BaseUrl => deployment.Gateway.BaseAddress!.ToString();

    private async Task<IPage> SignedInAsync(IBrowserContext context, string email, string password)
    {
        var page = await context.NewPageAsync();
        PageChecks.EchoScriptErrors(page, output);
        await page.GotoAsync("/account/signin?returnUrl=%2Fconsole");
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        return page;
    }

    private static readonly System.Text.RegularExpressions.Regex ConsoleHome = new(@"/console$");

    /// <summary>
    /// Signs the admin in and waits for the console's home. Asserted with ToHaveURLAsync, polled by Playwright's driver,
    /// not WaitForURLAsync: its check-then-subscribe can miss the load event (microsoft/playwright-dotnet#3364), which
    /// CI once met as a 60 s timeout on a page that had loaded.
    /// </summary>
    private async Task<IPage> SignedInToConsoleAsync(IBrowserContext context)
    {
        var page = await SignedInAsync(context, OrderXDeployment.AdminEmail, OrderXDeployment.AdminPassword);
        // A form post on a loaded CI machine may take longer than the assertions' default.
        await Assertions.Expect(page).ToHaveURLAsync(ConsoleHome, new() { Timeout = 60_000 });
        return page;
    }

    [Fact]
    public async Task An_operator_sees_every_service_ready_the_latest_orders_and_an_orders_whole_history()
    {
        var customer = await _api.CreateUserAsync();
        var product = await _api.CreateProductAsync(8m);
        var orderId = await _api.PlaceOrderAsync(customer, product, 1);
        Assert.Equal("paid", (await _api.WaitForOutcomeAsync(orderId)).Status);
        // The console's order page is rendered once, so it is opened only after the e-mail's step is in the history.
        await _api.WaitForStepAsync(orderId, "notification.sent");
        await using var context = await chromium.NewContextAsync(BaseUrl);

        var page = await SignedInToConsoleAsync(context);

        foreach (var service in new[] { "user", "product", "order", "payment", "notification" })
            await Assertions.Expect(page.Locator($"#services tr[data-service='{service}']")).ToContainTextAsync("ready");
        await Assertions.Expect(page.Locator("#services tr[data-service='order'] td.num").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        await page.GetByLabel("State").SelectOptionAsync("paid");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var row = page.Locator($"#orders tr[data-order-id='{orderId}']");
        await Assertions.Expect(row).ToContainTextAsync(customer.Email);
        await Assertions.Expect(page.Locator("#orders tbody tr", new() { HasText = "Cancelled" })).ToHaveCountAsync(0);
        await PageChecks.CheckAsync(page, PageChecks.Named("console", deployment.Mode));

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.Locator("#history tr[data-cause='payment.success']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#history tr[data-cause='notification.sent']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#payments")).ToContainTextAsync("succeeded");
        await Assertions.Expect(page.Locator("#notifications")).ToContainTextAsync("order_completed");
        await PageChecks.CheckAsync(page, PageChecks.Named("console-order", deployment.Mode));
    }

    [Fact]
    public async Task An_admin_replays_a_dead_letter_from_the_console_and_the_order_completes()
    {
        var customer = await _api.CreateUserAsync();
        var product = await _api.CreateProductAsync(6m);
        var admin = await _api.AdminAsync();
        using var notification = deployment.ServiceClient("notification", admin.Tokens.AccessToken);
        await using var context = await chromium.NewContextAsync(BaseUrl);
        IPage page;
        Guid orderId;
        // The mail server is down: the e-mail of the paid order fails every delivery and is dead-lettered.
        deployment.Mail.Refusing = true;
        try
        {
            orderId = await _api.PlaceOrderAsync(customer, product, 1);
            Assert.Equal("paid", (await _api.WaitForOutcomeAsync(orderId)).Status);
            await Eventually.ValueAsync(() => notification.GetStringAsync("/api/admin/dead-letters"), report => report.Contains("\"count\":1", StringComparison.Ordinal),
                "the order's e-mail among the notification service's dead letters", timeoutSeconds: 60);

            page = await SignedInToConsoleAsync(context);
            await Assertions.Expect(page.Locator("#services tr[data-service='notification'] td[data-dead-letters]")).ToHaveAttributeAsync("data-dead-letters", "1");
            await page.GetByRole(AriaRole.Link, new() { Name = "Dead letters", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dead letters", Exact = true })).ToBeVisibleAsync();
            await PageChecks.CheckAsync(page, PageChecks.Named("console-dead-letters", deployment.Mode));

            await page.Locator("table[data-service='notification'] tr[data-place$='order.completed'] a").ClickAsync();
            var letter = page.Locator("#dead-letters tr[data-message-id]");
            await Assertions.Expect(letter).ToHaveCountAsync(1);
            await Assertions.Expect(letter).ToContainTextAsync(orderId.ToString()[..8]);
            await Assertions.Expect(letter).ToContainTextAsync("order.completed");
            await PageChecks.CheckAsync(page, PageChecks.Named("console-dead-letter-place", deployment.Mode));
        }
        finally
        {
            deployment.Mail.Refusing = false;
        }

        // The mail server is back: the operator replays, and the order's last step happens.
        await page.GetByRole(AriaRole.Button, new() { Name = "Replay all" }).ClickAsync();
        await Assertions.Expect(page.Locator(".flash-ok")).ToContainTextAsync("Replayed 1 message(s)");
        await Assertions.Expect(page.Locator("#no-dead-letters")).ToBeVisibleAsync();
        await _api.WaitForStepAsync(orderId, "notification.sent");
        await page.GotoAsync($"/console/orders/{orderId}");
        await Assertions.Expect(page.Locator("#history tr[data-cause='notification.sent']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#notifications")).ToContainTextAsync("order_completed");
        Assert.Single(await _api.NotificationsAsync(orderId));
    }

    [Fact]
    public async Task The_live_bus_feed_shows_an_orders_events_as_they_cross_the_bus()
    {
        var customer = await _api.CreateUserAsync();
        var product = await _api.CreateProductAsync(5m);
        await using var context = await chromium.NewContextAsync(BaseUrl, phone: true);
        var page = await SignedInToConsoleAsync(context);

        await page.GetByRole(AriaRole.Link, new() { Name = "Live bus feed" }).ClickAsync();
        await Assertions.Expect(page.Locator("#feed-state")).ToContainTextAsync("Watching");
        var orderId = await _api.PlaceOrderAsync(customer, product, 1);

        var rows = page.Locator($"#bus tbody tr[data-order-id='{orderId}']");
        foreach (var type in new[] { "order.created", "stock.reserved", "payment.success", "order.completed", "notification.sent" })
            await Assertions.Expect(rows.And(page.Locator($"[data-type='{type}']"))).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(rows.And(page.Locator("[data-type='payment.success']"))).ToContainTextAsync("payment");
        await PageChecks.CheckAsync(page, PageChecks.Named("console-bus", deployment.Mode));
    }

    [Fact]
    public async Task A_customer_is_refused_the_console()
    {
        var customer = await _api.CreateUserAsync();
        await using var context = await chromium.NewContextAsync(BaseUrl);

        var page = await SignedInAsync(context, customer.Email, customer.Password);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
        await PageChecks.CheckAsync(page, PageChecks.Named("denied", deployment.Mode));
        Assert.DoesNotContain("/console", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Console" })).ToHaveCountAsync(0);
        var refused = await page.APIRequest.GetAsync("/console");
        Assert.Equal(403, refused.Status);
    }
}

[Collection("end-to-end")]
public sealed class EmbeddedConsoleTests(EmbeddedDeployment deployment, Chromium chromium, ITestOutputHelper output)
    : ConsoleTests<EmbeddedDeployment>(deployment, chromium, output), IClassFixture<EmbeddedDeployment>, IClassFixture<Chromium>;

[Collection("end-to-end")]
public sealed class DistributedConsoleTests(DistributedDeployment deployment, Chromium chromium, ITestOutputHelper output)
    : ConsoleTests<DistributedDeployment>(deployment, chromium, output), IClassFixture<DistributedDeployment>, IClassFixture<Chromium>;
