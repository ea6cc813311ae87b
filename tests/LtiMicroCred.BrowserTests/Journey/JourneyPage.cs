using System.Globalization;
using LtiMicroCred.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests.Journey;

/// <summary>
/// Where a journey's screenshots go: LTIMICROCRED_ARTIFACTS if set, else TestResults/screenshots under the test
/// project's output; one folder per test, files numbered in the order the journey reached the pages.
/// </summary>
public sealed class JourneyArtifacts
{
    public const string Variable = "LTIMICROCRED_ARTIFACTS";

    private int _count;

    public JourneyArtifacts(string testName)
    {
        var root = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(root))
        {
            root = Path.Combine(AppContext.BaseDirectory, "TestResults");
        }

        Folder = Path.Combine(root, "screenshots", testName);
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }

        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    /// <summary>The next numbered file name for a page, e.g. 07-review-page.png.</summary>
    public string Next(string page)
    {
        var n = Interlocked.Increment(ref _count);
        var safe = new string(page.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        return Path.Combine(Folder, n.ToString("00", CultureInfo.InvariantCulture) + "-" + safe);
    }
}

/// <summary>
/// One person's browser tab in a journey: the sandbox course page with the tool in its iframe (or, for public pages,
/// the tool at the top level). Every page the journey reaches is checked the same way (<see cref="CheckAsync"/>), and
/// keyboard-only steps move focus with Tab and act with Enter, Space and arrow keys, asserting the focus first.
/// </summary>
public sealed class JourneyPage
{
    public const int DesktopWidth = 1280;
    public const int NarrowWidth = 320;
    private const int DesktopHeight = 800;

    // Enough for the longest page of the journey (the attempt page with three criteria) plus the LMS's own links.
    private const int MaxTabs = 250;

    // The outermost elements that end past the view's right edge, leaving out what sits in its own scrolling box.
    private const string WiderThanTheView =
        """
        () => {
          const w = document.documentElement.clientWidth;
          // An absolutely positioned element escapes a scrolling box unless that box (or one between) is positioned.
          const scrolls = e => { let absolute = getComputedStyle(e).position === 'absolute';
            for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) { const st = getComputedStyle(p);
              if (st.position !== 'static') absolute = false;
              if ((st.overflowX === 'auto' || st.overflowX === 'scroll' || st.overflowX === 'hidden') && !absolute) return true; } return false; };
          const clips = e => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(e).overflowX);
          const all = [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > w + 1);
          const unscrolled = all.filter(e => !scrolls(e));
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          const texts = [];
          for (let t = walker.nextNode(); t; t = walker.nextNode()) {
            const r = document.createRange(); r.selectNodeContents(t);
            if (r.getBoundingClientRect().right > w + 1 && !clips(t.parentElement) && !scrolls(t.parentElement)) texts.push('text "' + t.textContent.trim().slice(0, 40) + '" in ' + t.parentElement.tagName.toLowerCase());
          }
          if (texts.length > 0) return texts.slice(0, 5);
          const wide = unscrolled.length > 0 ? unscrolled : all;
          return wide.filter(e => !wide.includes(e.parentElement)).slice(0, 5).map(e =>
            e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().replace(/\s+/g, '.') : '')
            + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + ' px)');
        }
        """;

    private readonly JourneyArtifacts _artifacts;
    private readonly ITestOutputHelper _output;
    private readonly bool _inLms;

    private readonly CrossSiteToolHost? _host;
    private readonly string? _name;

    private JourneyPage(IPage page, string person, bool inLms, JourneyArtifacts artifacts, ITestOutputHelper output, CrossSiteToolHost? host = null, string? name = null)
    {
        Page = page;
        _host = host;
        _name = name;
        Person = person;
        _inLms = inLms;
        _artifacts = artifacts;
        _output = output;
    }

    public IPage Page { get; }

    public string Person { get; }

    /// <summary>What the person sees of the tool: the iframe's content, or the page itself for public pages.</summary>
    public IFrameLocator Frame => Page.FrameLocator(SandboxCourse.ToolFrameSelector);

    /// <summary>The tool's document as a Playwright frame.</summary>
    public IFrame ToolFrame => _inLms ? SandboxCourse.ToolFrame(Page) : Page.MainFrame;

    /// <summary>A locator inside the tool's document, whichever way it is shown.</summary>
    public ILocator Locator(string selector) => _inLms ? Frame.Locator(selector) : Page.Locator(selector);

    public ILocator Role(AriaRole role, string name, bool exact = true) => _inLms
        ? Frame.GetByRole(role, new() { Name = name, Exact = exact })
        : Page.GetByRole(role, new() { Name = name, Exact = exact });

    public ILocator Label(string label, bool exact = true) => _inLms
        ? Frame.GetByLabel(label, new() { Exact = exact })
        : Page.GetByLabel(label, new() { Exact = exact });

    public ILocator Text(string text) => _inLms ? Frame.GetByText(text).First : Page.GetByText(text).First;

    public ILocator Heading => Locator("main h1");

    public ILocator Status => _inLms ? Frame.GetByRole(AriaRole.Status).First : Page.GetByRole(AriaRole.Status).First;

    /// <summary>Opens the sandbox course page for a person, with third-party cookies blocked, and waits for the greeting.</summary>
    public static async Task<JourneyPage> LaunchAsync(IBrowserContext context, CrossSiteToolHost host, string personId, string name,
        JourneyArtifacts artifacts, ITestOutputHelper output)
    {
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(DesktopWidth, DesktopHeight);
        await BrowserFixture.BlockThirdPartyCookiesAsync(context, page);
        await SandboxCourse.OpenAsync(page, host, personId);
        var journey = new JourneyPage(page, personId, inLms: true, artifacts, output, host, name);
        await Expect(journey.Heading).ToHaveTextAsync("Welcome, " + name);
        return journey;
    }

    /// <summary>Opens the tool again from the LMS course (a fresh launch), as a person does between tasks.</summary>
    public async Task RelaunchAsync()
    {
        if (_host is null || _name is null)
        {
            throw new InvalidOperationException("Only a page launched from the LMS can be launched again.");
        }

        await SandboxCourse.OpenAsync(Page, _host, Person);
        await Expect(Heading).ToHaveTextAsync("Welcome, " + _name);
    }

    /// <summary>Opens a public page of the tool at the top level, as anyone following a shared link would.</summary>
    public static async Task<JourneyPage> VisitAsync(IBrowserContext context, string url, JourneyArtifacts artifacts, ITestOutputHelper output)
    {
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(DesktopWidth, DesktopHeight);
        var response = await page.GotoAsync(url);
        Assert.Equal(200, response?.Status);
        return new JourneyPage(page, "visitor", inLms: false, artifacts, output);
    }

    /// <summary>
    /// The checks every journey page gets: the main heading is the expected one; axe-core finds no WCAG 2.1 AA
    /// violation; a full-page screenshot is saved; at 320 px wide the tool's document does not scroll sideways and
    /// its main heading is still in view (a second screenshot shows it).
    /// </summary>
    public async Task CheckAsync(string pageName, string? heading)
    {
        if (heading is not null)
        {
            await Expect(Heading).ToHaveTextAsync(heading);
        }
        else
        {
            await Expect(Heading).ToBeVisibleAsync();
        }

        await Axe.ExpectNoViolationsAsync(ToolFrame, $"{pageName} ({Person})", _output);
        var file = _artifacts.Next(pageName);
        await Page.ScreenshotAsync(new() { Path = file + ".png", FullPage = true });

        await Page.SetViewportSizeAsync(NarrowWidth, DesktopHeight);
        try
        {
            var widths = await ToolFrame.EvaluateAsync<int[]>(
                "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            if (widths[0] > widths[1] + 1)
            {
                var culprits = await ToolFrame.EvaluateAsync<string[]>(WiderThanTheView);
                Assert.Fail($"At {NarrowWidth} px the {pageName} scrolls sideways: the document is {widths[0]} px wide in a " +
                    $"{widths[1]} px view. Elements reaching past it: {string.Join("; ", culprits)}");
            }
            await Expect(Heading).ToBeVisibleAsync();
            var inView = await Heading.EvaluateAsync<bool>(
                "h => { const r = h.getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= document.documentElement.clientWidth + 1; }");
            Assert.True(inView, $"At {NarrowWidth} px the main heading of the {pageName} is not within the view.");
            await Page.ScreenshotAsync(new() { Path = file + "-320.png", FullPage = true });
        }
        finally
        {
            await Page.SetViewportSizeAsync(DesktopWidth, DesktopHeight);
        }

        _output.WriteLine($"{Person}: {pageName} checked (axe, 320 px), screenshot {Path.GetFileName(file)}.png");
    }

    /// <summary>Presses Tab until the target holds the focus (inside the tool's document), failing after a page's worth.</summary>
    public async Task TabToAsync(ILocator target)
    {
        await Expect(target).ToBeVisibleAsync();
        for (var presses = 0; presses < MaxTabs; presses++)
        {
            if (await HasFocusAsync(target))
            {
                return;
            }

            await Page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"{Person}: {MaxTabs} presses of Tab never reached {target}.");
    }

    /// <summary>Tabs to a link and follows it with Enter.</summary>
    public Task FollowAsync(string linkName, bool exact = true) => FollowAsync(Role(AriaRole.Link, linkName, exact));

    /// <summary>Tabs to a link and follows it with Enter.</summary>
    public async Task FollowAsync(ILocator link)
    {
        await TabToAsync(link);
        await Expect(link).ToBeFocusedAsync();
        await NavigatingAsync(() => Page.Keyboard.PressAsync("Enter"));
    }

    /// <summary>Tabs to a button (optionally within a part of the page) and presses Enter.</summary>
    public async Task PressAsync(string buttonName, ILocator? within = null)
    {
        var button = within is null ? Role(AriaRole.Button, buttonName) : within.GetByRole(AriaRole.Button, new() { Name = buttonName, Exact = true });
        await TabToAsync(button);
        await Expect(button).ToBeFocusedAsync();
        await NavigatingAsync(() => Page.Keyboard.PressAsync("Enter"));
    }

    /// <summary>
    /// Runs an action that loads a new document in the tool's frame and returns once that document is parsed, so no
    /// check runs against the page being left (a form post may come back to a page with the same heading).
    /// </summary>
    private async Task NavigatingAsync(Func<Task> action)
    {
        // The page being left is marked; the wait (which Playwright re-runs in each new document) ends when a document
        // without the mark has been parsed.
        var frame = ToolFrame;
        await frame.EvaluateAsync("() => { document.documentElement.dataset.journeyLeft = 'yes'; }");
        await action();
        await frame.WaitForFunctionAsync("() => !document.documentElement.dataset.journeyLeft && document.readyState !== 'loading'");
    }

    /// <summary>Tabs to a text field and types into it, replacing what was there.</summary>
    public async Task TypeAsync(ILocator field, string text)
    {
        await TabToAsync(field);
        await Expect(field).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("ControlOrMeta+A");
        await Page.Keyboard.PressAsync("Delete");
        await Page.Keyboard.InsertTextAsync(text);
        await Expect(field).ToHaveValueAsync(text);
    }

    /// <summary>Tabs into a radio group and moves with the arrow keys until the labelled choice is selected.</summary>
    public Task ChooseAsync(ILocator group, string choice) => ChooseAsync(group, group.GetByLabel(choice, new() { Exact = true }));

    /// <summary>Tabs into a radio group and moves with the arrow keys until the target radio is selected.</summary>
    public async Task ChooseAsync(ILocator group, ILocator target)
    {
        await Expect(target).ToBeVisibleAsync();
        for (var presses = 0; presses < MaxTabs && !await ContainsFocusAsync(group); presses++)
        {
            await Page.Keyboard.PressAsync("Tab");
        }

        var options = await group.GetByRole(AriaRole.Radio).CountAsync();
        for (var moves = 0; moves <= options && !await HasFocusAsync(target); moves++)
        {
            await Page.Keyboard.PressAsync("ArrowDown");
        }

        await Expect(target).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Space");
        await Expect(target).ToBeCheckedAsync();
    }

    /// <summary>Tabs to a date field and types the date as Chromium's en-US date field takes it (month, day, year).</summary>
    public async Task TypeDateAsync(ILocator field, DateTime date)
    {
        await TabToAsync(field);
        await Expect(field).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync(date.ToString("MMddyyyy", CultureInfo.InvariantCulture));
        await Expect(field).ToHaveValueAsync(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    /// <summary>Tabs to a checkbox and sets it with Space.</summary>
    public async Task SetCheckedAsync(ILocator checkbox, bool value)
    {
        await TabToAsync(checkbox);
        if (await checkbox.IsCheckedAsync() != value)
        {
            await Page.Keyboard.PressAsync("Space");
        }

        await Expect(checkbox).ToBeCheckedAsync(new() { Checked = value });
    }

    /// <summary>Tabs to a closed select and moves with the arrow keys until the option with that value is chosen.</summary>
    public async Task SelectAsync(ILocator select, string value)
    {
        await TabToAsync(select);
        var options = await select.Locator("option").CountAsync();
        for (var moves = 0; moves < options && await select.InputValueAsync() != value; moves++)
        {
            await Page.Keyboard.PressAsync("ArrowDown");
        }

        await Expect(select).ToHaveValueAsync(value);
    }

    private static Task<bool> HasFocusAsync(ILocator target) =>
        target.EvaluateAsync<bool>("e => e === e.ownerDocument.activeElement && e.ownerDocument.hasFocus()");

    private static Task<bool> ContainsFocusAsync(ILocator target) =>
        target.EvaluateAsync<bool>("e => e.contains(e.ownerDocument.activeElement) && e.ownerDocument.activeElement !== e && e.ownerDocument.hasFocus()");
}
