using Microsoft.Playwright;

namespace LtiMicroCred.BrowserTests.Infrastructure;

/// <summary>
/// One cross-site tool host and one headless Debian Chromium, shared by the tests of a class. Each test takes a
/// fresh browser context from it, so no cookie or storage outlives a test.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumVariable = "LTIMICROCRED_CHROMIUM";
    public const string DefaultChromium = "/usr/bin/chromium";

    /// <summary>How long any wait for the browser may take: a launch is several page loads.</summary>
    public const float TimeoutMs = 20_000;

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // The tool's frame is cross-site, so with site isolation Chromium runs it in its own renderer process. About
        // one run in twenty, Playwright then never saw that frame's scripting context and waited for it forever: its
        // own timeouts did not fire and the run hung until the test host was killed. Cross-site frames in the page's
        // process keep every cookie and storage rule this suite tests (those follow the site, not the process).
        "--disable-site-isolation-trials",
        "--disable-features=IsolateOrigins,site-per-process",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private CrossSiteToolHost? _host;

    public CrossSiteToolHost Host => _host ?? throw new InvalidOperationException("The fixture has not started.");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync()
    {
        // Fail, never skip: a browser test that silently does not run proves nothing.
        var chromium = Environment.GetEnvironmentVariable(ChromiumVariable);
        if (string.IsNullOrWhiteSpace(chromium))
        {
            chromium = DefaultChromium;
        }

        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at '{chromium}' (from {ChromiumVariable}, else {DefaultChromium}). " +
                "Install Debian's browser with `apt-get install -y chromium` (./test.sh does it), or point " +
                $"{ChromiumVariable} at a Chromium binary. These tests never download a browser.");
        }

        Assertions.SetDefaultExpectTimeout(TimeoutMs);
        _host = await CrossSiteToolHost.StartAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = TimeoutMs,
        });
    }

    /// <summary>A fresh, empty browser context (cookies, storage, routes) with the suite's timeouts.</summary>
    public async Task<IBrowserContext> NewContextAsync()
    {
        var context = await Browser.NewContextAsync();
        context.SetDefaultTimeout(TimeoutMs);
        context.SetDefaultNavigationTimeout(TimeoutMs);
        return context;
    }

    /// <summary>
    /// Turns Chromium's third-party cookie restriction on for the page's browser context through the DevTools
    /// protocol, whatever the profile's default is. Unpartitioned cookies of a cross-site frame are then neither
    /// stored nor sent; partitioned (CHIPS) cookies still work. Must be called before the page navigates.
    /// </summary>
    public static async Task BlockThirdPartyCookiesAsync(IBrowserContext context, IPage page)
    {
        var session = await context.NewCDPSessionAsync(page);
        await session.SendAsync("Network.setCookieControls", new Dictionary<string, object>
        {
            ["enableThirdPartyCookieRestriction"] = true,
            ["disableThirdPartyCookieMetadata"] = true,
            ["disableThirdPartyCookieHeuristics"] = true,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
