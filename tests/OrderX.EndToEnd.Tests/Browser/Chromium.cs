using Microsoft.Playwright;

namespace OrderX.EndToEnd.Tests.Browser;

/// <summary>
/// Debian's chromium driven by Playwright. Playwright never downloads a browser here: it is told where the one
/// installed with apt is (ORDERX_CHROMIUM overrides). The flags keep a closed network quiet.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public static string ExecutablePath => Environment.GetEnvironmentVariable("ORDERX_CHROMIUM") ?? "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ExecutablePath), $"{ExecutablePath} is missing: apt-get install -y chromium (.ci/run installs it)");
        // A step may take a while on a loaded 2-core machine; each expectation waits up to this long for it.
        Assertions.SetDefaultExpectTimeout(30_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser profile (no cookies) at a desktop's or a phone's size.</summary>
    public async Task<IBrowserContext> NewContextAsync(string baseUrl, bool phone = false)
    {
        var context = await Browser.NewContextAsync(Options(baseUrl, phone));
        // A form post on a loaded CI machine (the first order after a restart) may take longer than Playwright's 30 s.
        context.SetDefaultTimeout(60_000);
        return context;
    }

    private static BrowserNewContextOptions Options(string baseUrl, bool phone) => new()
    {
        BaseURL = baseUrl,
        ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
        IsMobile = phone,
        HasTouch = phone,
        Locale = "en-GB",
    };

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
