using System.Globalization;
using System.Text.RegularExpressions;
using LtiMicroCred.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests.Journey;

/// <summary>
/// The whole journey in a real browser, every person in the sandbox LMS's iframe with third-party cookies
/// blocked, starting from the sample catalog as a newcomer finds it: Dev (district admin) configures the credential;
/// Ada plans "Foundations of Teacher Leadership" by keyboard; Carla approves; Ada gathers evidence (a file among it)
/// and submits; Ben and Dev (given the peer reviewer role; the sandbox has one same-school colleague only) review by
/// keyboard and disagree; Carla sees the conflict flag and decides "not yet"; Ada reads the feedback and resubmits;
/// both review again; Carla awards. Then the grade reaches the sandbox gradebook, the hours Ada's ledger, the badge
/// "My badges" and its public page verifies, and the district's progress report counts the award. Every page on the
/// way passes axe-core (WCAG 2.1 AA), fits 320 px, and is saved as a screenshot.
/// </summary>
public sealed class FullJourneyTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string Credential = "Foundations of Teacher Leadership";
    private const string Need = "Evidence of a shared need";
    private const string Leading = "Leading colleagues";
    private const string Reflection = "Reflection on leadership";
    private const string McCourse = "Educator Microcredentials 2026-27";

    /// <summary>The credential's new summary, written in the catalog editor.</summary>
    private const string Summary = "Lead one small change with your grade team, from a need you show to the lessons you draw.";

    /// <summary>The in-service hours an award earns, set on the offerings page (the sample catalog has 15).</summary>
    private const int Hours = 12;

    /// <summary>The agreed level (index, lowest first) of every criterion in each calibration reference.</summary>
    private static readonly int[] ReferenceLevels = [3, 2, 1];

    /// <summary>How long the background jobs (grade, badge) may take to show their results.</summary>
    private static readonly TimeSpan JobDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Credential_IsPlannedApprovedEvidencedReviewedNotYetResubmittedAndAwarded_AndEveryResultShows()
    {
        var artifacts = new JourneyArtifacts(nameof(FullJourneyTests));
        await using var devContext = await fixture.NewContextAsync();
        await using var adaContext = await fixture.NewContextAsync();
        await using var benContext = await fixture.NewContextAsync();
        await using var carlaContext = await fixture.NewContextAsync();
        await using var visitorContext = await fixture.NewContextAsync();

        // Launching makes each person known to the tool (and Lincoln Elementary's people) before anyone needs them.
        var dev = await JourneyPage.LaunchAsync(devContext, fixture.Host, "admin-dev", "Dev Patel", artifacts, output);
        var ada = await JourneyPage.LaunchAsync(adaContext, fixture.Host, "teacher-ada", "Ada Okafor", artifacts, output);
        var ben = await JourneyPage.LaunchAsync(benContext, fixture.Host, "teacher-ben", "Ben Castillo", artifacts, output);
        var carla = await JourneyPage.LaunchAsync(carlaContext, fixture.Host, "principal-carla", "Carla Nguyen", artifacts, output);
        await dev.CheckAsync("district admin home", "Welcome, Dev Patel");

        await AdminConfiguresCredentialAndIncentiveAsync(dev);
        await AdminAddsCalibrationReferencesAsync(dev);
        await AdminBecomesPeerReviewerAsync(dev);

        // Ben, one of the two peers, calibrates on the credential's rubric before any review.
        await ben.CheckAsync("peer home", "Welcome, Ben Castillo");
        await PeerCalibratesAsync(ben, dev);

        // Ada, keyboard only: the catalog, the credential, start it, write the plan, send it for approval.
        await ada.CheckAsync("teacher home", "Welcome, Ada Okafor");
        await ada.FollowAsync("Browse the microcredential catalog");
        await ada.CheckAsync("catalog", "Microcredential catalog");
        await ada.FollowAsync(Credential);
        await Expect(ada.Locator("main p.lead")).ToHaveTextAsync(Summary);
        await ada.CheckAsync("credential page", Credential);
        await ada.PressAsync("Start this microcredential");
        await Expect(ada.Heading).ToHaveTextAsync(Credential);
        await ada.TypeAsync(ada.Label("How this microcredential aligns with your school's or district's goals"), "Lincoln's goal: every grade team uses common assessments.");
        await ada.TypeAsync(ada.Label("Step 1"), "Agree a shared goal with the grade 3 team");
        await ada.TypeDateAsync(ada.Label("Target date for step 1"), DateTime.UtcNow.Date.AddDays(21));
        await ada.PressAsync("Save plan");
        await ada.CheckAsync("attempt with a draft plan", Credential);
        await ada.PressAsync("Send plan for approval");
        await Expect(ada.Text("Plan awaiting approval")).ToBeVisibleAsync();
        await ada.CheckAsync("attempt with the plan sent", Credential);

        // Carla approves the plan from her queue.
        await carla.CheckAsync("principal home", "Welcome, Carla Nguyen");
        await carla.FollowAsync("Approvals");
        await carla.CheckAsync("approvals with a plan", "Approvals");
        await carla.FollowAsync("Ada Okafor: " + Credential);
        await carla.ChooseAsync(carla.Role(AriaRole.Group, "Your decision on this plan"), "Approve (reserves the incentive)");
        await carla.PressAsync("Record decision");
        await Expect(carla.Status).ToHaveTextAsync("The plan decision is recorded.");
        await carla.CheckAsync("plan approved", Credential);

        // Ada, keyboard only: evidence for each criterion (text, a file, a reflection), then submits.
        await ada.RelaunchAsync();
        await OpenAttemptAsync(ada, Credential);
        await ada.PressAsync("Start gathering evidence");
        await AddTextEvidenceAsync(ada, "overview", "Overview questions", "Our team's need: the grade 3 reading data.");
        await ada.CheckAsync("attempt with text evidence", Credential);
        var artifact = ada.Locator("section[aria-labelledby=crit-artifact]");
        await OpenDetailsAsync(ada, "Add evidence for “Team artifact”");
        await ada.TabToAsync(artifact.GetByLabel("File", new() { Exact = true }));
        // A file chooser is the operating system's dialog, which no page script or key reaches; the file is given to
        // the focused input as the dialog would.
        await artifact.GetByLabel("File", new() { Exact = true }).SetInputFilesAsync(new FilePayload
        {
            Name = "team-agenda.pdf", MimeType = "application/pdf", Buffer = "%PDF-1.7 agenda"u8.ToArray(),
        });
        await ada.PressAsync("Add evidence", artifact);
        await Expect(ada.Role(AriaRole.Link, "team-agenda.pdf", exact: false)).ToBeVisibleAsync();
        var reflection = ada.Locator("section[aria-labelledby=crit-reflection]");
        await OpenDetailsAsync(ada, "Add evidence for “Leadership reflection”");
        await ada.TypeAsync(reflection.GetByLabel("Your reflection on “Leadership reflection”"), "I learned to listen first.");
        await ada.PressAsync("Save reflection", reflection);
        await Expect(ada.Locator(".reflection")).ToContainTextAsync("I learned to listen first.");
        await ada.PressAsync("Submit for review");
        await Expect(ada.Locator("main strong").Filter(new() { HasText = "In review" })).ToBeVisibleAsync();
        await ada.CheckAsync("attempt in review", Credential);

        // Two peers review against the rubric, keyboard only; they disagree (Ben passes it, Dev does not).
        await ReviewAsync(ben, [3, 3, 3], "The need is clear from the team's data.", check: true);
        await ReviewAsync(dev, [1, 2, 2], "The need rests on one conversation.", check: true);

        // Carla: the queue flags the conflict, the decision page explains it; she decides "not yet" with feedback.
        await carla.RelaunchAsync();
        await carla.FollowAsync("Approvals");
        await Expect(carla.Text("Reviews conflict")).ToBeVisibleAsync();
        await carla.CheckAsync("approvals with a conflicting review pair", "Approvals");
        await carla.FollowAsync("Ada Okafor: " + Credential);
        await Expect(carla.Text("the reviews conflict")).ToBeVisibleAsync();
        await carla.CheckAsync("decision page with the conflict flag", $"Decision: Ada Okafor, {Credential}");
        await carla.ChooseAsync(carla.Role(AriaRole.Group, Need), "Developing: Evidence is anecdotal");
        await carla.TypeAsync(carla.Label($"Feedback on {Need} (needed when below Proficient)"), "Bring the reading data the team looked at.");
        await carla.TypeAsync(carla.Label("Overall feedback"), "A strong start; show the evidence of the need.");
        await carla.ChooseAsync(carla.Role(AriaRole.Group, "Outcome (final)"), "Not yet: the teacher improves and resubmits");
        await carla.PressAsync("Record the decision");
        await Expect(carla.Status).ToHaveTextAsync("The decision is recorded.");
        await carla.CheckAsync("decided not yet", $"Decision: Ada Okafor, {Credential}");

        // Ada reads the feedback and resubmits with more evidence.
        await ada.RelaunchAsync();
        await OpenAttemptAsync(ada, Credential);
        await Expect(ada.Text("Bring the reading data the team looked at.")).ToBeVisibleAsync();
        await Expect(ada.Text("The need rests on one conversation.")).ToBeVisibleAsync();
        await ada.CheckAsync("attempt decided not yet", Credential);
        await ada.PressAsync("Resubmit (starts a new attempt with your evidence so far)");
        var second = Credential + " (attempt 2)";
        await Expect(ada.Heading).ToHaveTextAsync(second);
        await Expect(ada.Role(AriaRole.Link, "team-agenda.pdf", exact: false)).ToBeVisibleAsync();
        await AddTextEvidenceAsync(ada, "overview", "Overview questions", "Our need, with the team's reading data: 41% of grade 3 below benchmark.");
        await ada.PressAsync("Submit for review");
        await Expect(ada.Locator("main strong").Filter(new() { HasText = "In review" })).ToBeVisibleAsync();
        await ada.CheckAsync("second attempt in review", second);

        await ReviewAsync(ben, [3, 3, 3], "The data makes the need clear.", check: false);
        await ReviewAsync(dev, [2, 2, 3], "The data makes the need clear.", check: false);

        // Carla awards the second attempt.
        await carla.RelaunchAsync();
        await carla.FollowAsync("Approvals");
        await carla.FollowAsync("Ada Okafor: " + second);
        await carla.TypeAsync(carla.Label("Overall feedback"), "Well led.");
        await carla.ChooseAsync(carla.Role(AriaRole.Group, "Outcome (final)"), "Award the microcredential");
        await carla.PressAsync("Record the decision");
        await Expect(carla.Status).ToHaveTextAsync("The decision is recorded.");
        await carla.CheckAsync("awarded", $"Decision: Ada Okafor, {second}");

        // The grade in the sandbox gradebook, sent by the background job.
        await PollAsync("the grade in the sandbox gradebook", async () =>
        {
            await dev.Page.GotoAsync(fixture.Host.CourseUrl("admin-dev"));
            var row = dev.Page.Locator("#gradebook-heading ~ * tr, table tr").Filter(new() { HasText = "Ada Okafor" }).Filter(new() { HasText = "Microcredential awarded" });
            return await row.CountAsync() > 0;
        });

        // The hours in Ada's ledger, the badge on "My badges" (issued by a job), and its public page verifies.
        await ada.RelaunchAsync();
        await ada.FollowAsync("My hours and points");
        await Expect(ada.Locator("main")).ToContainTextAsync($"In-service hours: {Hours}");
        await ada.CheckAsync("ledger with the award", "My in-service hours and PD points");
        await PollAsync("the badge on My badges", async () =>
        {
            await ada.RelaunchAsync();
            await ada.FollowAsync("My badges");
            await Expect(ada.Heading).ToHaveTextAsync("My badges");
            return await ada.Role(AriaRole.Heading, Credential).CountAsync() > 0;
        });
        await ada.CheckAsync("my badges", "My badges");
        var badgeUrl = await ada.Label("Link to share").InputValueAsync();
        Assert.Matches(new Regex("/badges/[0-9a-f-]{36}$"), badgeUrl);
        var visitor = await JourneyPage.VisitAsync(visitorContext, badgeUrl, artifacts, output);
        await Expect(visitor.Text("Signature check: passed.")).ToBeVisibleAsync();
        await Expect(visitor.Locator("main")).ToContainTextAsync(Credential);
        await visitor.CheckAsync("public badge verification page", null);

        // The district's progress report counts the award.
        await dev.RelaunchAsync();
        await dev.FollowAsync("Progress report");
        var awarded = dev.Role(AriaRole.Table, "Attempts by status").GetByRole(AriaRole.Row).Filter(new() { HasText = "Awarded" });
        await Expect(awarded.GetByRole(AriaRole.Cell)).ToHaveTextAsync("1");
        await dev.CheckAsync("district progress report", "Progress report");
    }

    /// <summary>
    /// The district admin sets the credential up, keyboard only: in the catalog editor a new summary (what teachers
    /// read), previewed as a teacher sees it and saved; on the offerings page the in-service hours an award earns
    /// (<see cref="Hours"/>, not the sample's 15); two peer reviews from any colleague (the sandbox school has one
    /// teacher besides Ada); and the credential's own gradebook column.
    /// </summary>
    private static async Task AdminConfiguresCredentialAndIncentiveAsync(JourneyPage dev)
    {
        await dev.FollowAsync("District catalog: import and export");
        await dev.CheckAsync("district catalog", "District catalog");
        await dev.FollowAsync("Edit " + Credential);
        await dev.CheckAsync("catalog editor", $"Edit “{Credential}”");
        await dev.TypeAsync(dev.Label("Summary (optional)"), Summary);
        await dev.PressAsync("Preview as a teacher sees it");
        var preview = dev.Locator("section.preview");
        await Expect(preview.GetByRole(AriaRole.Heading, new() { Name = "Preview: as a teacher sees it" })).ToBeVisibleAsync();
        await Expect(preview.Locator("p.lead")).ToHaveTextAsync(Summary);
        await dev.CheckAsync("catalog editor with the preview", $"Edit “{Credential}”");
        await dev.PressAsync("Save");
        await Expect(dev.Status).ToHaveTextAsync($"“{Credential}” is saved.");
        await Expect(dev.Label("Summary (optional)")).ToHaveValueAsync(Summary);
        await dev.CheckAsync("catalog editor saved", $"Edit “{Credential}”");

        await dev.FollowAsync("District catalog");
        await dev.FollowAsync("Link assignments for " + Credential);
        await dev.PressAsync($"Add a column for “{Credential}” to {McCourse}");
        await Expect(dev.Status).ToHaveTextAsync("The credential has its own gradebook column.");
        await dev.CheckAsync("credential's LMS assignments", $"LMS assignments for “{Credential}”");

        await dev.RelaunchAsync();
        await dev.FollowAsync("Offerings: where each microcredential is offered, windows and incentives");
        await dev.CheckAsync("offerings", "Offerings");
        await dev.FollowAsync($"Edit {Credential}, district-wide");
        await Expect(dev.Role(AriaRole.Heading, "Edit the offering")).ToBeVisibleAsync();
        await dev.SelectAsync(dev.Label("Kind"), "InServiceHours");
        await dev.TypeAsync(dev.Label("Amount (0 for no incentive)"), Hours.ToString(CultureInfo.InvariantCulture));
        await dev.PressAsync("Save the offering");
        await Expect(dev.Status).ToHaveTextAsync("The offering is saved.");
        var offering = dev.Role(AriaRole.Table, "Offerings", exact: false).GetByRole(AriaRole.Row).Filter(new() { HasText = Credential });
        await Expect(offering).ToContainTextAsync($"{Hours} in-service hours");
        await dev.CheckAsync("offerings with the incentive", "Offerings");

        await dev.RelaunchAsync();
        await dev.FollowAsync("Peer review settings");
        await dev.CheckAsync("peer review settings", "Peer review settings");
        var foundations = dev.Role(AriaRole.Group, Credential);
        await dev.TypeAsync(foundations.GetByLabel("Peer reviews required (0: none, the principal decides alone)"), "2");
        await dev.SetCheckedAsync(foundations.GetByLabel("Same school as the teacher"), false);
        await dev.PressAsync($"Save “{Credential}”", foundations);
        await Expect(dev.Status).ToHaveTextAsync("The review setting is saved.");
    }

    /// <summary>
    /// Dev gives the credential's calibration exercise its three reference submissions, each with the agreed levels
    /// (one level for every criterion: Exemplary, Proficient, Developing), keyboard only.
    /// </summary>
    private static async Task AdminAddsCalibrationReferencesAsync(JourneyPage dev)
    {
        await dev.RelaunchAsync();
        await dev.FollowAsync("Reviewer calibration: references and results");
        await dev.CheckAsync("district calibration", "Reviewer calibration");
        for (var i = 0; i < ReferenceLevels.Length; i++)
        {
            await dev.FollowAsync("Add a reference to " + Credential);
            await dev.TypeAsync(dev.Label("Title"), $"Reference {i + 1}");
            await dev.TypeAsync(dev.Label("Evidence the reviewers read"), $"Reference {i + 1}: how a teacher led the grade team.");
            foreach (var criterion in new[] { Need, Leading, Reflection })
            {
                var group = dev.Role(AriaRole.Group, criterion);
                await dev.ChooseAsync(group, group.GetByRole(AriaRole.Radio).Nth(ReferenceLevels[i]));
            }

            if (i == 0)
            {
                await dev.CheckAsync("calibration reference form", $"Add a reference submission: {Credential}");
            }

            await dev.PressAsync("Add reference");
            await Expect(dev.Status).ToHaveTextAsync("The reference is added.");
        }
    }

    /// <summary>
    /// Ben completes the calibration exercise by keyboard, scoring each reference as the committee did, and is shown
    /// as calibrated: on his result and on the district's calibration page.
    /// </summary>
    private static async Task PeerCalibratesAsync(JourneyPage ben, JourneyPage dev)
    {
        await ben.FollowAsync("Reviewer calibration exercise");
        await ben.CheckAsync("calibration exercises", "Calibration");
        await ben.FollowAsync(Credential);
        for (var i = 0; i < ReferenceLevels.Length; i++)
        {
            await Expect(ben.Role(AriaRole.Heading, $"Reference {i + 1} of {ReferenceLevels.Length}: Reference {i + 1}")).ToBeVisibleAsync();
            if (i == 0)
            {
                await ben.CheckAsync("calibration exercise", "Calibration: " + Credential);
            }

            foreach (var criterion in new[] { Need, Leading, Reflection })
            {
                var group = ben.Role(AriaRole.Group, criterion);
                await ben.ChooseAsync(group, group.GetByRole(AriaRole.Radio).Nth(ReferenceLevels[i]));
            }

            await ben.PressAsync("Submit my levels");
            await Expect(ben.Status).ToHaveTextAsync("Your levels are saved.");
        }

        await Expect(ben.Locator("main strong").Filter(new() { HasText = "Calibrated" })).ToHaveTextAsync("Calibrated");
        await ben.CheckAsync("calibration result", "Calibration: " + Credential);

        await dev.RelaunchAsync();
        await dev.FollowAsync("Reviewer calibration: references and results");
        var result = dev.Role(AriaRole.Table, $"Reviewers' latest results for {Credential}").GetByRole(AriaRole.Row).Filter(new() { HasText = "Ben Castillo" });
        await Expect(result).ToContainTextAsync("Calibrated");
        await dev.CheckAsync("district calibration with a result", "Reviewer calibration");
    }

    /// <summary>Dev gives himself the district-wide peer reviewer role, so the credential can have a second reviewer.</summary>
    private static async Task AdminBecomesPeerReviewerAsync(JourneyPage dev)
    {
        await dev.RelaunchAsync();
        await dev.FollowAsync("People, schools and roles");
        await dev.CheckAsync("people directory", "People and roles");
        await dev.FollowAsync("Dev Patel", exact: false);
        await dev.SetCheckedAsync(dev.Role(AriaRole.Group, "District-wide roles").GetByLabel("Peer reviewer", new() { Exact = true }), true);
        await dev.PressAsync("Save roles");
        await Expect(dev.Status).ToHaveTextAsync("Saved.");
        await dev.CheckAsync("roles of a person", "Roles of Dev Patel");
    }

    private static async Task OpenAttemptAsync(JourneyPage teacher, string credential)
    {
        await teacher.FollowAsync("My microcredentials");
        await teacher.FollowAsync(credential, exact: false);
        await Expect(teacher.Heading).ToHaveTextAsync(new Regex("^" + Regex.Escape(credential)));
    }

    private static async Task OpenDetailsAsync(JourneyPage page, string summary)
    {
        var toggle = page.Locator("summary").Filter(new() { HasText = summary });
        await page.TabToAsync(toggle);
        await Expect(toggle).ToBeFocusedAsync();
        await page.Page.Keyboard.PressAsync("Enter");
        await Expect(toggle.Locator("xpath=..")).ToHaveAttributeAsync("open", "");
    }

    private static async Task AddTextEvidenceAsync(JourneyPage teacher, string key, string title, string text)
    {
        var section = teacher.Locator($"section[aria-labelledby=crit-{key}]");
        await OpenDetailsAsync(teacher, $"Add evidence for “{title}”");
        await teacher.SelectAsync(section.GetByLabel("Kind of evidence"), "text");
        await teacher.TypeAsync(section.GetByLabel("Title (optional for files)"), "Overview answers");
        await teacher.TypeAsync(section.GetByLabel("Text (for text evidence)"), text);
        await teacher.PressAsync("Add evidence", section);
        await Expect(section).ToContainTextAsync("Overview answers");
    }

    /// <summary>A peer opens their one open review from the queue and submits levels and feedback, keyboard only.</summary>
    private static async Task ReviewAsync(JourneyPage reviewer, int[] levels, string needFeedback, bool check)
    {
        await reviewer.RelaunchAsync();
        await reviewer.FollowAsync("My peer reviews");
        await Expect(reviewer.Role(AriaRole.Heading, "To review (1)")).ToBeVisibleAsync();
        if (check)
        {
            await reviewer.CheckAsync("review queue", "My peer reviews");
        }

        await reviewer.FollowAsync(reviewer.Role(AriaRole.Region, "To review (1)").GetByRole(AriaRole.Link, new() { Name = Credential + ": Ada Okafor" }));
        await Expect(reviewer.Heading).ToHaveTextAsync("Review: " + Credential);
        string[] criteria = [Need, Leading, Reflection];
        for (var i = 0; i < criteria.Length; i++)
        {
            var group = reviewer.Role(AriaRole.Group, criteria[i]);
            await reviewer.ChooseAsync(group, group.GetByRole(AriaRole.Radio).Nth(levels[i]));
        }

        await reviewer.TypeAsync(reviewer.Label($"Feedback on “{Need}”"), needFeedback);
        await reviewer.TypeAsync(reviewer.Label("Overall feedback"), "Thank you for the clear evidence.");
        if (check)
        {
            await reviewer.CheckAsync("review form", "Review: " + Credential);
        }

        await reviewer.PressAsync("Submit review");
        await Expect(reviewer.Status).ToContainTextAsync("Review submitted.");
    }

    /// <summary>Re-reads a page until the condition holds, failing at the deadline: the results come from jobs.</summary>
    private static async Task PollAsync(string what, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + JobDeadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not seen within {JobDeadline.TotalSeconds:0} s: {what}.");
        }
    }
}
