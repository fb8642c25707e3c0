using Microsoft.Playwright;
using OrderX.Testing;
using Xunit.Abstractions;

namespace OrderX.EndToEnd.Tests.Browser;

/// <summary>
/// The storefront in a real browser (Debian's chromium), through the gateway of a running OrderX, in both run modes:
/// what a customer sees, checked for WCAG AA with axe-core on every page, with screenshots at a desktop's and a
/// phone's width.
/// </summary>
public abstract class StorefrontTests<TDeployment>(TDeployment deployment, Chromium chromium, ITestOutputHelper output)
    where TDeployment : OrderXDeployment
{
    protected TDeployment Deployment => deployment;

    protected ITestOutputHelper Output => output;

    protected OrderXClient Api => _api;

    private readonly OrderXClient _api = new(deployment.Gateway, OrderXDeployment.AdminEmail, OrderXDeployment.AdminPassword);
    private string BaseUrl => deployment.Gateway.BaseAddress!.ToString();

    protected async Task<(IBrowserContext Context, Shopper Shopper)> ShopperAsync(bool phone = false)
    {
        var context = await chromium.NewContextAsync(BaseUrl, phone);
        var page = await context.NewPageAsync();
        PageChecks.EchoScriptErrors(page, output);
        return (context, new Shopper(page));
    }

    protected async Task<string> ProductAsync(string kind, decimal price, int stock = 100)
    {
        var name = $"{kind} {Guid.NewGuid().ToString("N")[..6]}";
        await _api.CreateProductAsync(price, stock, name);
        return name;
    }

    [Fact]
    public async Task A_customer_registers_buys_two_products_and_watches_the_order_get_paid_and_e_mailed_without_reloading()
    {
        var cups = await ProductAsync("Espresso cups", 12.50m);
        var beans = await ProductAsync("House beans", 9.90m);
        var (context, shopper) = await ShopperAsync();
        await using var _ = context;
        var page = shopper.Page;

        await shopper.RegisterAsync();
        await shopper.AddToCartAsync(cups, 2);
        await PageChecks.CheckAsync(page, PageChecks.Named("shop", deployment.Mode));
        await shopper.AddToCartAsync(beans, 1);
        await page.GotoAsync("/cart");
        await Assertions.Expect(page.Locator("#cart-total")).ToHaveTextAsync("34.90 EUR");
        await PageChecks.CheckAsync(page, PageChecks.Named("cart", deployment.Mode));
        var orderId = await shopper.CheckOutAsync();

        await Assertions.Expect(shopper.Status).ToHaveTextAsync("Order Completed Successfully");
        await Assertions.Expect(shopper.Step("payment.success")).ToHaveCountAsync(1);
        await Assertions.Expect(shopper.Step("notification.sent")).ToHaveCountAsync(1);
        Assert.True(await shopper.StayedOnThePageAsync(), "the page reloaded: the steps were not pushed to it");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel this order" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("table.lines tbody tr")).ToHaveCountAsync(2);
        await PageChecks.CheckAsync(page, PageChecks.Named("order-paid", deployment.Mode));

        await page.GotoAsync("/orders");
        var row = page.Locator($"tr[data-order-id='{orderId}']");
        await Assertions.Expect(row).ToContainTextAsync("34.90 EUR");
        await Assertions.Expect(row).ToContainTextAsync("Paid");
        await Assertions.Expect(row).ToContainTextAsync($"2 × {cups}");
        await PageChecks.CheckAsync(page, PageChecks.Named("my-orders", deployment.Mode));
    }

    [Fact]
    public async Task A_declined_payment_shows_the_failure_and_the_released_stock()
    {
        var machine = await ProductAsync("Lever machine", 1899m, stock: 5);
        var (context, shopper) = await ShopperAsync();
        await using var _ = context;

        await shopper.RegisterAsync();
        await shopper.AddToCartAsync(machine, 1);
        await shopper.CheckOutAsync();

        await Assertions.Expect(shopper.Status).ToContainTextAsync("Order cancelled: Payment declined");
        await Assertions.Expect(shopper.Step("payment.failed")).ToContainTextAsync("Payment declined");
        await Assertions.Expect(shopper.Step("stock.released")).ToContainTextAsync("Reserved stock released");
        await Assertions.Expect(shopper.Step("notification.sent")).ToHaveCountAsync(1);
        Assert.True(await shopper.StayedOnThePageAsync());
        await PageChecks.CheckAsync(shopper.Page, PageChecks.Named("order-declined", deployment.Mode));
    }

    [Fact]
    public async Task An_out_of_stock_order_shows_its_payment_refunded()
    {
        var handbook = await ProductAsync("Signed handbook", 30m, stock: 1);
        var (context, shopper) = await ShopperAsync(phone: true);
        await using var _ = context;

        await shopper.RegisterAsync();
        await shopper.AddToCartAsync(handbook, 2);
        await shopper.CheckOutAsync();

        await Assertions.Expect(shopper.Status).ToContainTextAsync("Order cancelled: Out of stock");
        await Assertions.Expect(shopper.Step("payment.refunded")).ToContainTextAsync("Payment refunded");
        await Assertions.Expect(shopper.Step("notification.sent")).ToHaveCountAsync(2);
        await PageChecks.CheckAsync(shopper.Page, PageChecks.Named("order-refunded", deployment.Mode));
    }

    [Fact]
    public async Task A_stream_the_browser_gave_up_on_is_opened_again_and_every_step_still_arrives_once()
    {
        var kettle = await ProductAsync("Gooseneck kettle", 30m);
        var (context, shopper) = await ShopperAsync();
        await using var _ = context;
        await shopper.RegisterAsync();
        await shopper.AddToCartAsync(kettle, 1);
        // The web front answers the first two attempts as it does while the order service is away: a 503, which
        // EventSource does not retry by itself.
        var refused = 0;
        await shopper.Page.RouteAsync("**/orders/*/events**", async route =>
        {
            if (Interlocked.Increment(ref refused) <= 2)
                await route.FulfillAsync(new() { Status = 503, Headers = new Dictionary<string, string> { ["Retry-After"] = "5" } });
            else
                await route.ContinueAsync();
        });

        await shopper.CheckOutAsync();

        await Assertions.Expect(shopper.Status).ToHaveTextAsync("Order Completed Successfully", new() { Timeout = 30_000 });
        await Assertions.Expect(shopper.Step("notification.sent")).ToHaveCountAsync(1);
        var (steps, distinct, connections, repeats) = await shopper.StreamCountsAsync();
        Assert.True(refused >= 3, $"the page asked for its stream {refused} time(s)");
        Assert.Equal((1, 0, steps), (connections, repeats, distinct));
        Assert.True(await shopper.StayedOnThePageAsync());
    }

    [Fact]
    public async Task Another_customer_cannot_open_someone_elses_order_page()
    {
        var mug = await ProductAsync("Travel mug", 15m);
        var (aliceContext, alice) = await ShopperAsync();
        var (bobContext, bob) = await ShopperAsync();
        await using var a = aliceContext;
        await using var b = bobContext;
        await alice.RegisterAsync("Alice");
        await alice.AddToCartAsync(mug, 1);
        var orderId = await alice.CheckOutAsync();
        await bob.RegisterAsync("Bob");

        var response = await bob.Page.GotoAsync($"/orders/{orderId}");
        var stream = await bob.Page.APIRequest.GetAsync($"/orders/{orderId}/events");

        Assert.Equal(404, response!.Status);
        await Assertions.Expect(bob.Page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await Assertions.Expect(bob.Page.Locator("table.lines")).ToHaveCountAsync(0);
        Assert.Equal(404, stream.Status);
        await PageChecks.CheckAsync(bob.Page, PageChecks.Named("order-not-found", deployment.Mode));
    }

    [Fact]
    public async Task A_signed_out_visitor_is_sent_to_sign_in_and_the_account_pages_pass_the_checks_at_a_phone_s_width()
    {
        var (context, visitor) = await ShopperAsync(phone: true);
        await using var _ = context;
        var page = visitor.Page;

        await page.GotoAsync("/orders");
        Assert.Contains("/account/signin?returnUrl=%2Forders", page.Url);
        await PageChecks.CheckAsync(page, PageChecks.Named("sign-in", deployment.Mode));
        await page.GetByLabel("E-mail address").FillAsync("nobody@example.com");
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The e-mail address or the password is wrong.");
        await page.GotoAsync("/account/register");
        await PageChecks.CheckAsync(page, PageChecks.Named("register", deployment.Mode));
        await page.GotoAsync("/");
        await PageChecks.CheckAsync(page, PageChecks.Named("shop-signed-out", deployment.Mode));
        // Nothing of the page is wider than the phone: no sideways scrolling.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
    }
}

[Collection("end-to-end")]
public sealed class EmbeddedStorefrontTests(EmbeddedDeployment deployment, Chromium chromium, ITestOutputHelper output)
    : StorefrontTests<EmbeddedDeployment>(deployment, chromium, output), IClassFixture<EmbeddedDeployment>, IClassFixture<Chromium>
{
    /// <summary>Embedded only: there one process holds every stream, and the payment part's restart drops them all.</summary>
    [Fact]
    public async Task While_the_payment_service_is_down_the_page_cancels_one_order_and_the_other_resumes_its_stream_after_the_restart()
    {
        var grinder = await ProductAsync("Hand grinder", 45m);
        var (context, shopper) = await ShopperAsync();
        await using var _ = context;
        await shopper.RegisterAsync();
        await Deployment.StopPaymentServiceAsync();
        try
        {
            // The session and the cart survive the restart: the cookie keys are kept on disk.
            await shopper.AddToCartAsync(grinder, 1);
            await shopper.CheckOutAsync();
            // Nothing moves: the bus holds order.created back until every queue of it has its consumer again.
            await Assertions.Expect(shopper.Step("order.placed")).ToHaveCountAsync(1);
            await Assertions.Expect(shopper.Status).ToHaveTextAsync("Order is being processed");

            var second = new Shopper(await context.NewPageAsync());
            await second.AddToCartAsync(grinder, 1);
            await second.CheckOutAsync();
            await second.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel this order" }).ClickAsync();
            await Assertions.Expect(second.Status).ToHaveTextAsync("Order cancelled: Cancelled at the customer's request.");
            await Assertions.Expect(second.Page.GetByText("Your order is cancelled.")).ToBeVisibleAsync();
        }
        finally
        {
            // The process holding every stream dies and comes back with the payment service: each open page's
            // stream drops, and the browser reconnects by itself with the last event id it saw.
            await Deployment.StartPaymentServiceAsync();
        }

        await Assertions.Expect(shopper.Status).ToHaveTextAsync("Order Completed Successfully");
        await Assertions.Expect(shopper.Step("notification.sent")).ToHaveCountAsync(1);
        var (steps, distinct, connections, repeats) = await shopper.StreamCountsAsync();
        Output.WriteLine($"steps {steps}, connections {connections}, repeats {repeats}");
        Assert.True(connections >= 2, $"the stream never reconnected ({connections} connection)");
        Assert.Equal(0, repeats);
        Assert.Equal(steps, distinct);
        Assert.True(await shopper.StayedOnThePageAsync());
        var history = (await Api.OrderAsAdminAsync(Guid.Parse(shopper.Page.Url[^36..]))).History!;
        Assert.Equal(history.Count, steps);
    }
}

[Collection("end-to-end")]
public sealed class DistributedStorefrontTests(DistributedDeployment deployment, Chromium chromium, ITestOutputHelper output)
    : StorefrontTests<DistributedDeployment>(deployment, chromium, output), IClassFixture<DistributedDeployment>, IClassFixture<Chromium>;
