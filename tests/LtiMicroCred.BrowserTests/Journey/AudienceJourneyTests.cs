using LtiMicroCred.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace LtiMicroCred.BrowserTests.Journey;

/// <summary>
/// One short journey per audience, keyboard only, in the sandbox course's iframe with third-party cookies blocked: the
/// pages each person reaches from their home page, each checked with axe-core, at 320 px and saved as screenshots.
/// The whole flow across audiences is <see cref="FullJourneyTests"/>.
/// </summary>
public sealed class AudienceJourneyTests(BrowserFixture fixture, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const string Credential = "Basic Performance Assessment Design";

    [Fact]
    public async Task Teacher_BrowsesTheCatalog_StartsAndPlansACredential_AndReadsTheirOwnPages()
    {
        var artifacts = new JourneyArtifacts(nameof(AudienceJourneyTests) + "-teacher");
        await using var context = await fixture.NewContextAsync();
        var ada = await JourneyPage.LaunchAsync(context, fixture.Host, "teacher-ada", "Ada Okafor", artifacts, output);

        await ada.FollowAsync("Browse the microcredential catalog");
        await ada.CheckAsync("catalog", "Microcredential catalog");
        // The credential is listed under its stack and under the pathway that includes it: the first will do.
        await ada.FollowAsync(ada.Role(AriaRole.Link, Credential).First);
        await ada.CheckAsync("credential page", Credential);
        await ada.PressAsync("Start this microcredential");
        await ada.TypeAsync(ada.Label("How this microcredential aligns with your school's or district's goals"), "Our school goal: tasks that show what students can do.");
        await ada.TypeAsync(ada.Label("Step 1"), "Draft the task with my grade team");
        await ada.TypeDateAsync(ada.Label("Target date for step 1"), DateTime.UtcNow.Date.AddDays(30));
        await ada.PressAsync("Save plan");
        await ada.PressAsync("Send plan for approval");
        await Expect(ada.Text("Plan awaiting approval")).ToBeVisibleAsync();
        await ada.CheckAsync("attempt with the plan sent", Credential);
        await ada.FollowAsync("All my microcredentials");
        await Expect(ada.Role(AriaRole.Link, Credential)).ToBeVisibleAsync();
        await ada.CheckAsync("my microcredentials", "My microcredentials");

        foreach (var (link, heading) in new[] { ("My hours and points", "My in-service hours and PD points"), ("My badges", "My badges"), ("Notifications", "Notifications") })
        {
            await ada.RelaunchAsync();
            await ada.FollowAsync(link);
            await ada.CheckAsync(heading, heading);
        }
    }

    [Fact]
    public async Task Reviewer_WithNoReviewYet_OpensTheCalibrationExercise()
    {
        var artifacts = new JourneyArtifacts(nameof(AudienceJourneyTests) + "-reviewer");
        await using var context = await fixture.NewContextAsync();
        var ben = await JourneyPage.LaunchAsync(context, fixture.Host, "teacher-ben", "Ben Castillo", artifacts, output);

        // "My peer reviews" shows once a review is allocated (the full journey goes through it); before, calibration.
        await ben.CheckAsync("reviewer home", "Welcome, Ben Castillo");
        await Expect(ben.Role(AriaRole.Link, "My peer reviews")).ToHaveCountAsync(0);
        await ben.FollowAsync("Reviewer calibration exercise");
        await ben.CheckAsync("calibration exercises", "Calibration");
    }

    [Fact]
    public async Task Principal_OpensTheQueueTheLedgerAndTheReports()
    {
        var artifacts = new JourneyArtifacts(nameof(AudienceJourneyTests) + "-principal");
        await using var context = await fixture.NewContextAsync();
        var carla = await JourneyPage.LaunchAsync(context, fixture.Host, "principal-carla", "Carla Nguyen", artifacts, output);

        await carla.CheckAsync("principal home", "Welcome, Carla Nguyen");
        foreach (var (link, heading) in new[]
        {
            ("Approvals", "Approvals"), ("In-service hours ledger", "In-service hours and PD points ledger"),
            ("Progress report", "Progress report"), ("Expertise map", "Expertise map"),
        })
        {
            await carla.RelaunchAsync();
            await carla.FollowAsync(link);
            await carla.CheckAsync(heading, heading);
        }
    }

    [Fact]
    public async Task DistrictAdmin_OpensTheSettingsPeopleReportsAndCatalogEditor()
    {
        var artifacts = new JourneyArtifacts(nameof(AudienceJourneyTests) + "-district-admin");
        await using var context = await fixture.NewContextAsync();
        var dev = await JourneyPage.LaunchAsync(context, fixture.Host, "admin-dev", "Dev Patel", artifacts, output);

        await dev.CheckAsync("district admin home", "Welcome, Dev Patel");
        foreach (var (link, heading) in new[]
        {
            ("Peer review settings", "Peer review settings"), ("District catalog: import and export", "District catalog"),
            ("People, schools and roles", "People and roles"), ("Reviewer calibration: references and results", "Reviewer calibration"),
            ("Progress report", "Progress report"), ("Audit log", "Audit log"),
            ("Offerings: where each microcredential is offered, windows and incentives", "Offerings"),
            ("Programme settings: plan approval and grades", "Programme settings"),
        })
        {
            await dev.RelaunchAsync();
            await dev.FollowAsync(link);
            await dev.CheckAsync(heading, heading);
        }

        // The budgets page's heading names the school year.
        await dev.RelaunchAsync();
        await dev.FollowAsync("Incentive budgets per year and school");
        await Expect(dev.Heading).ToContainTextAsync("Budgets, ");
        await dev.CheckAsync("budgets", null);

        // The catalog editor: a credential, the skills frameworks, the stacks and pathways.
        foreach (var (link, heading) in new[]
        {
            ("Edit " + Credential, $"Edit “{Credential}”"), ("Skills frameworks", "Skills frameworks"), ("Stacks and pathways", "Stacks and pathways"),
        })
        {
            await dev.RelaunchAsync();
            await dev.FollowAsync("District catalog: import and export");
            await dev.FollowAsync(link);
            await dev.CheckAsync("catalog editor: " + heading, heading);
        }
    }
}
