using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace OrderX.EndToEnd.Tests.Browser;

/// <summary>What a customer does in the storefront, in one browser profile, through the gateway.</summary>
public sealed partial class Shopper(IPage page)
{
    public const string Password = "browser correct horse battery";

    public IPage Page => page;

    public string Email { get; } = $"shopper-{Guid.NewGuid():N}@example.com";

    public async Task RegisterAsync(string name = "Grace Hopper")
    {
        await page.GotoAsync("/account/register");
        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByLabel("E-mail address").FillAsync(Email);
        await page.GetByLabel("Password").FillAsync(Password);
        // Submitted from the keyboard, as someone without a mouse would.
        await page.GetByLabel("Password").PressAsync("Enter");
        await Assertions.Expect(page.GetByText("Welcome! Your account is ready.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    public async Task AddToCartAsync(string productName, int quantity)
    {
        await page.GotoAsync($"/?q={Uri.EscapeDataString(productName)}");
        await page.GetByLabel($"Quantity of {productName}").FillAsync($"{quantity}");
        var add = page.Locator("li.product", new() { HasText = productName }).GetByRole(AriaRole.Button, new() { Name = "Add to cart" });
        await add.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByText("Added to your cart.")).ToBeVisibleAsync();
    }

    /// <summary>Checks the cart out and lands on the new order's page; returns the order's id.</summary>
    public async Task<Guid> CheckOutAsync()
    {
        await page.GotoAsync("/cart");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check out and pay" }).ClickAsync();
        // The order's page, or the cart again with the reason the checkout was refused.
        await page.Locator("#order-status").Or(page.Locator(".flash-error")).First.WaitForAsync(new() { Timeout = 60_000 });
        if (!OrderPage().IsMatch(page.Url))
            Assert.Fail($"checkout refused: {string.Join(" ", await page.Locator(".flash-error").AllInnerTextsAsync())}");
        // Marked once on arrival: if the page reloads, the mark is gone, so "without reloading" can be checked.
        await page.EvaluateAsync("() => { window.orderxTestMark = true; }");
        return Guid.Parse(OrderPage().Match(page.Url).Groups[1].Value);
    }

    public ILocator Status => page.Locator("#order-status");

    public ILocator Step(string cause) => page.Locator($"#steps li[data-cause='{cause}']");

    public Task<bool> StayedOnThePageAsync() => page.EvaluateAsync<bool>("() => window.orderxTestMark === true");

    public async Task<(int Steps, int Distinct, int Connections, int Repeats)> StreamCountsAsync()
    {
        var counts = await page.EvaluateAsync<int[]>("""
            () => {
              const steps = document.getElementById('steps');
              const ids = [...steps.querySelectorAll('li[data-step-id]')].map(li => li.dataset.stepId);
              return [ids.length, new Set(ids).size, Number(steps.dataset.connections), Number(steps.dataset.repeats)];
            }
            """);
        return (counts[0], counts[1], counts[2], counts[3]);
    }

    [GeneratedRegex(@"/orders/([0-9a-f-]{36})$")]
    private static partial Regex OrderPage();
}
