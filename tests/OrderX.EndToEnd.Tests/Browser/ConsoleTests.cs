using Microsoft.Playwright;
using Xunit.Abstractions;

namespace OrderX.EndToEnd.Tests.Browser;

/// <summary>The operator's console in a real browser, through the gateway of a running all-in-one.</summary>
[Collection("end-to-end")]
public sealed class ConsoleTests(EmbeddedDeployment deployment, Chromium chromium, ITestOutputHelper output)
    : IClassFixture<EmbeddedDeployment>, IClassFixture<Chromium>
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

    [Fact]
    public async Task An_operator_sees_every_service_ready_the_latest_orders_and_an_orders_whole_history()
    {
        var customer = await _api.CreateUserAsync();
        var product = await _api.CreateProductAsync(8m);
        var orderId = await _api.PlaceOrderAsync(customer, product, 1);
        Assert.Equal("paid", (await _api.WaitForOutcomeAsync(orderId)).Status);
        await _api.WaitForNotificationsAsync(orderId);
        await using var context = await chromium.NewContextAsync(BaseUrl);

        var page = await SignedInAsync(context, OrderXDeployment.AdminEmail, OrderXDeployment.AdminPassword);

        await page.WaitForURLAsync("**/console");
        foreach (var service in new[] { "user", "product", "order", "payment", "notification" })
            await Assertions.Expect(page.Locator($"#services tr[data-service='{service}']")).ToContainTextAsync("ready");
        await Assertions.Expect(page.Locator("#services tr[data-service='order'] td.num").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        await page.GetByLabel("State").SelectOptionAsync("paid");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var row = page.Locator($"#orders tr[data-order-id='{orderId}']");
        await Assertions.Expect(row).ToContainTextAsync(customer.Email);
        await Assertions.Expect(page.Locator("#orders tbody tr", new() { HasText = "Cancelled" })).ToHaveCountAsync(0);
        await PageChecks.AssertAccessibleAsync(page);
        await PageChecks.ScreenshotAsync(page, "console-desktop");

        await row.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.Locator("#history tr[data-cause='payment.success']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#history tr[data-cause='notification.sent']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#payments")).ToContainTextAsync("succeeded");
        await Assertions.Expect(page.Locator("#notifications")).ToContainTextAsync("order_completed");
        await PageChecks.AssertAccessibleAsync(page);
        await PageChecks.ScreenshotAsync(page, "console-order-desktop");
    }

    [Fact]
    public async Task A_customer_is_refused_the_console()
    {
        var customer = await _api.CreateUserAsync();
        await using var context = await chromium.NewContextAsync(BaseUrl);

        var page = await SignedInAsync(context, customer.Email, customer.Password);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
        Assert.DoesNotContain("/console", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Console" })).ToHaveCountAsync(0);
        var refused = await page.APIRequest.GetAsync("/console");
        Assert.Equal(403, refused.Status);
    }
}
