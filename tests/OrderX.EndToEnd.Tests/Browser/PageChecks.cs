using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace OrderX.EndToEnd.Tests.Browser;

public static class PageChecks
{
    private static readonly AxeRunOptions WcagAA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    };

    /// <summary>axe-core's WCAG 2.x A and AA rules, contrast included, find nothing on the page as it is now.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe(WcagAA);
        var violations = result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help}; {string.Join(" | ", v.Nodes.Select(n => n.Html).Take(3))}");
        Assert.True(result.Violations.Length == 0, $"{page.Url}: {string.Join("\n", violations)}");
    }

    /// <summary>Shows the page's script errors in the test's output: a failing step is easier to read with them.</summary>
    public static void EchoScriptErrors(IPage page, Xunit.Abstractions.ITestOutputHelper output) =>
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                output.WriteLine($"console: {message.Text}");
        };

    /// <summary>A page's screenshot name: the embedded mode's pages as they are, the other modes' with the mode added.</summary>
    public static string Named(string page, string mode) => mode == "embedded" ? page : $"{page}-{mode.Replace(' ', '-')}";

    private static readonly (string Name, int Width, int Height)[] Widths = [("desktop", 1280, 900), ("phone", 390, 844)];

    /// <summary>
    /// The page as it is now, at a desktop's and at a phone's width: axe-core finds nothing at either, and a screenshot
    /// of each is saved as <c>&lt;name&gt;-desktop.png</c> and <c>&lt;name&gt;-phone.png</c>. The viewport is put back after.
    /// </summary>
    public static async Task CheckAsync(IPage page, string name)
    {
        var original = page.ViewportSize;
        foreach (var (width, pixels, height) in Widths)
        {
            await page.SetViewportSizeAsync(pixels, height);
            await AssertAccessibleAsync(page);
            await ScreenshotAsync(page, $"{name}-{width}");
        }
        if (original is not null)
            await page.SetViewportSizeAsync(original.Width, original.Height);
    }

    /// <summary>Saves the page under artifacts/screenshots/, as the README shows it.</summary>
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(RepoPaths.Root, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png"), FullPage = true });
    }
}
