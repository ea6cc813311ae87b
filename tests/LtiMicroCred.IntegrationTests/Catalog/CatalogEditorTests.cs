using System.Net;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Catalog;

/// <summary>
/// The district catalog editor over real HTTP, launched from the sandbox LMS as its district administrator: credentials
/// saved from the form go the import's way (checked whole, versioned, audited), previews save nothing.
/// </summary>
public abstract class CatalogEditorTests<THost>(THost host) where THost : ToolHost
{
    private const string Editor = "/app/district/catalog/credential";

    [Fact]
    public async Task NewCredential_SavedFromTheForm_AppearsInTheTeachersCatalog_AndIsAudited()
    {
        using var admin = await PageSession.LaunchAsync(host, "admin-dev");
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        var key = NewKey();

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/app/district/catalog")).StatusCode);
        Assert.Contains($"href=\"{Editor}?lt=", admin.LastPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(Editor)).StatusCode);
        var saved = await admin.PostAsync(Editor, Fields(key, "Questioning for Understanding", "Asks open questions."));
        Assert.Equal(HttpStatusCode.OK, (await admin.FollowAsync(saved)).StatusCode);
        Assert.Contains("is saved", admin.LastPage, StringComparison.Ordinal);
        Assert.Contains($"<code>{key}</code>", admin.LastPage, StringComparison.Ordinal);

        await OfferAsync(key);
        Assert.Equal(HttpStatusCode.OK, (await ada.GetAsync("/app/catalog")).StatusCode);
        Assert.Contains("Questioning for Understanding", ada.LastPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await ada.GetAsync("/app/catalog/" + key)).StatusCode);
        Assert.Contains("Asks open questions.", ada.LastPage, StringComparison.Ordinal);
        Assert.Contains("Descriptor 3 for key", ada.LastPage, StringComparison.Ordinal);
        var audited = await host.WithDbAsync(async db =>
        {
            var id = await db.Credentials.Where(c => c.Key == key).Select(c => c.Id).SingleAsync();
            return await db.AuditEntries.CountAsync(a => a.Action == "catalog.edited" && a.SubjectId == id);
        });
        Assert.Equal(1, audited);
    }

    [Fact]
    public async Task NewCredential_IsShownAsNotOffered_AndLinksToTheOfferingsFormWithItPreselected_UntilItIsOffered()
    {
        using var admin = await PageSession.LaunchAsync(host, "admin-dev");
        var key = NewKey();
        await admin.GetAsync(Editor);
        var saved = await admin.PostAsync(Editor, Fields(key, "Unoffered Credential", "Waits for an offering."));
        Assert.Equal(HttpStatusCode.OK, (await admin.FollowAsync(saved)).StatusCode);
        var id = await host.WithDbAsync(db => db.Credentials.Where(c => c.Key == key).Select(c => c.Id).SingleAsync());

        Assert.Contains("is saved", admin.LastPage, StringComparison.Ordinal);
        Assert.Contains("Not offered yet:", admin.LastPage, StringComparison.Ordinal);
        Assert.Contains($"href=\"/app/district/offerings?credential={id}&amp;lt=", admin.LastPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/app/district/offerings?credential={id}")).StatusCode);
        Assert.Contains($"<option value=\"{id}\" selected=\"selected\">", admin.LastPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/app/district/catalog")).StatusCode);
        Assert.Matches($"<code>{key}</code>.*?<td>Active, not offered</td>", Row(admin.LastPage, key));

        await OfferAsync(key);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"{Editor}?key={key}")).StatusCode);
        Assert.DoesNotContain("Not offered yet:", admin.LastPage, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/app/district/catalog")).StatusCode);
        Assert.Matches($"<code>{key}</code>.*?<td>Active</td>", Row(admin.LastPage, key));
    }

    /// <summary>The catalog table's row of one credential, on one line.</summary>
    private static string Row(string page, string key)
    {
        var at = page.IndexOf($"<code>{key}</code>", StringComparison.Ordinal);
        Assert.True(at >= 0, $"no row for {key}");
        return page[at..page.IndexOf("</tr>", at, StringComparison.Ordinal)].ReplaceLineEndings(" ");
    }

    [Fact]
    public async Task EditingACredentialAnAttemptUses_PublishesANewVersion_AndTheAttemptKeepsItsVersion()
    {
        using var admin = await PageSession.LaunchAsync(host, "admin-dev");
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada"); // the attempt is hers
        var key = NewKey();
        await admin.GetAsync(Editor);
        var created = await admin.PostAsync(Editor, Fields(key, "Feedback Loops", "Gives timely feedback."));
        Assert.True(created.StatusCode == HttpStatusCode.Redirect, admin.LastPage);
        var attemptId = await StartAttemptAsync(key);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"{Editor}?key={key}")).StatusCode);
        Assert.Contains("Gives timely feedback.", admin.LastPage, StringComparison.Ordinal);
        var edited = await admin.PostAsync(Editor, Fields(key, "Feedback Loops", "Gives timely, specific feedback.", isNew: false));

        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        var (versions, current, attemptVersion) = await host.WithDbAsync(async db =>
        {
            var credential = await db.Credentials.SingleAsync(c => c.Key == key);
            var all = await db.CredentialVersions.Where(v => v.CredentialId == credential.Id).OrderBy(v => v.Number).ToListAsync();
            var attempt = await db.Attempts.SingleAsync(a => a.Id == attemptId);
            return (all, all.Single(v => v.Id == credential.CurrentVersionId), all.Single(v => v.Id == attempt.CredentialVersionId));
        });
        Assert.Equal(2, versions.Count);
        Assert.Equal((2, "Gives timely, specific feedback."), (current.Number, current.Definition.Competency));
        Assert.Equal((1, "Gives timely feedback."), (attemptVersion.Number, attemptVersion.Definition.Competency));
    }

    [Fact]
    public async Task RubricWithAMissingDescriptor_IsRefused_NamingTheField_KeepingTheInput_AndSavingNothing()
    {
        using var admin = await PageSession.LaunchAsync(host, "admin-dev");
        var key = NewKey();
        await admin.GetAsync(Editor);
        var fields = Fields(key, "Half-written Rubric", "Competency kept on refusal.");
        fields["Form.RubricCriteria[0].Descriptors[1]"] = " ";

        var refused = await admin.PostAsync(Editor, fields);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = WebUtility.HtmlDecode(admin.LastPage);
        Assert.Contains("<a href=\"#rubric-criteria-0-descriptors-1\">Rubric criterion 1 descriptor for level 2: is missing or empty.</a>", page, StringComparison.Ordinal);
        Assert.Contains("id=\"rubric-criteria-0-descriptors-1\"", page, StringComparison.Ordinal);
        Assert.Contains("Competency kept on refusal.", page, StringComparison.Ordinal);
        Assert.Contains("value=\"Half-written Rubric\"", page, StringComparison.Ordinal);
        Assert.False(await host.WithDbAsync(db => db.Credentials.AnyAsync(c => c.Key == key)));
    }

    [Fact]
    public async Task AddARow_AddsAnEmptyCriterionRow_KeepingWhatWasTyped()
    {
        using var admin = await PageSession.LaunchAsync(host, "admin-dev");
        await admin.GetAsync(Editor);
        var fields = Fields(NewKey(), "Growing Form", "Typed before adding a row.");
        fields["command"] = "add-criterion";

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync(Editor, fields)).StatusCode);
        Assert.Contains("id=\"criteria-1-title\"", admin.LastPage, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"criteria-2-title\"", admin.LastPage, StringComparison.Ordinal);
        Assert.Contains("Typed before adding a row.", admin.LastPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preview_ShowsTheUnsavedCredentialAsATeacherSeesIt_AndSavesNothing()
    {
        using var admin = await PageSession.LaunchAsync(host, "admin-dev");
        var key = NewKey();
        await admin.GetAsync(Editor);
        var fields = Fields(key, "Previewed Only", "Unsaved competency text.");
        fields["command"] = "preview";

        var preview = await admin.PostAsync(Editor, fields);

        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("Preview: as a teacher sees it", admin.LastPage, StringComparison.Ordinal);
        Assert.Contains("<h3>Previewed Only</h3>", admin.LastPage, StringComparison.Ordinal);
        Assert.Contains("<h4 id=\"preview-competency\">1. Competency</h4>", admin.LastPage, StringComparison.Ordinal);
        Assert.Contains("Unsaved competency text.", admin.LastPage, StringComparison.Ordinal);
        Assert.Contains("<caption id=\"preview-rubric-caption\">", admin.LastPage, StringComparison.Ordinal);
        Assert.DoesNotContain("/app/attempts/start", admin.LastPage, StringComparison.Ordinal);
        Assert.False(await host.WithDbAsync(db => db.Credentials.AnyAsync(c => c.Key == key)));
    }

    [Fact]
    public async Task TeacherAndPrincipal_AreRefused_AndAnotherDistrictsCredential_IsNotFound()
    {
        using var admin = await PageSession.LaunchAsync(host, "admin-dev");
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        using var carla = await PageSession.LaunchAsync(host, "principal-carla");
        var other = await TestDistrict.CreateAsync(host);
        var otherKey = NewKey();
        await other.AddCredentialAsync(otherKey, "Another district's credential");

        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync(Editor)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await carla.GetAsync(Editor)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await carla.GetAsync($"{Editor}?key=pa-basic-design")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{Editor}?key={otherKey}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"{Editor}?key=pa-basic-design")).StatusCode);
    }

    [Fact]
    public async Task FrameworkStackAndPathway_SaveFromTheirForms_AndAStackWithoutCredentialsIsRefused()
    {
        using var admin = await PageSession.LaunchAsync(host, "admin-dev");
        var framework = NewKey();
        var credential = NewKey();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/app/district/catalog/frameworks")).StatusCode);
        var savedFramework = await admin.PostAsync("/app/district/catalog/frameworks", new Dictionary<string, string>
        {
            ["command"] = "save", ["Form.IsNew"] = "true", ["Form.Key"] = framework, ["Form.Name"] = "Questioning skills",
            ["Form.Skills[0].Code"] = "Q.1", ["Form.Skills[0].Name"] = "Asks open questions", ["Form.Skills[1].Code"] = "", ["Form.Skills[1].Name"] = "",
        });
        Assert.True(savedFramework.StatusCode == HttpStatusCode.Redirect, admin.LastPage);
        await admin.FollowAsync(savedFramework);
        Assert.Contains("Questioning skills", admin.LastPage, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(Editor)).StatusCode);
        Assert.Contains("Asks open questions", admin.LastPage, StringComparison.Ordinal);
        var fields = Fields(credential, "Aligned Credential", "Shows a skill.");
        fields["Form.Skills"] = framework + "|Q.1";
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostAsync(Editor, fields)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/app/district/catalog/stacks")).StatusCode);
        var emptyStack = NewKey();
        var refused = await admin.PostAsync("/app/district/catalog/stacks?handler=stack", new Dictionary<string, string>
        {
            ["IsNewStack"] = "true", ["Stack.Key"] = emptyStack, ["Stack.Title"] = "Empty stack",
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("<a href=\"#stack-credentials\">", admin.LastPage, StringComparison.Ordinal);
        var stack = NewKey();
        var savedStack = await admin.PostAsync("/app/district/catalog/stacks?handler=stack", new Dictionary<string, string>
        {
            ["IsNewStack"] = "true", ["Stack.Key"] = stack, ["Stack.Title"] = "Questioning stack", ["StackCredentials"] = credential,
        });
        Assert.True(savedStack.StatusCode == HttpStatusCode.Redirect, admin.LastPage);
        var pathway = NewKey();
        var savedPathway = await admin.PostAsync("/app/district/catalog/stacks?handler=pathway", new Dictionary<string, string>
        {
            ["IsNewPathway"] = "true", ["Pathway.Key"] = pathway, ["Pathway.Title"] = "Questioning pathway", ["PathwayCredentials"] = credential,
            ["Pathway.MinimumCount"] = "1", ["Pathway.CommitteeSize"] = "2", ["Pathway.Reward"] = "Role", ["Pathway.RewardDetail"] = "Questioning coach",
        });
        Assert.True(savedPathway.StatusCode == HttpStatusCode.Redirect, admin.LastPage);

        var stored = await host.WithDbAsync(async db =>
        {
            var skill = await db.SkillFrameworks.Where(f => f.Key == framework).SelectMany(f => f.Skills).SingleAsync();
            var c = await db.Credentials.SingleAsync(x => x.Key == credential);
            var aligned = await db.SkillAlignments.AnyAsync(a => a.CredentialVersionId == c.CurrentVersionId && a.SkillId == skill.Id);
            var stackEntries = await db.Stacks.Where(s => s.Key == stack).SelectMany(s => s.Entries).Select(e => e.CredentialId).ToListAsync();
            var p = await db.Pathways.Include(x => x.Entries).SingleAsync(x => x.Key == pathway);
            var emptyExists = await db.Stacks.AnyAsync(s => s.Key == emptyStack);
            return (skill.Name, aligned, stackEntries, p.CommitteeSize, p.Reward, p.Entries.Select(e => e.CredentialId).ToList(), c.Id, emptyExists);
        });
        Assert.Equal("Asks open questions", stored.Name);
        Assert.True(stored.aligned);
        Assert.Equal([stored.Id], stored.stackEntries);
        Assert.Equal((2, PathwayReward.Role), (stored.CommitteeSize, stored.Reward));
        Assert.Equal([stored.Id], stored.Item6);
        Assert.False(stored.emptyExists);
    }

    [Fact]
    public async Task RefusedStackOrPathway_InNewAndEditMode_LinksEveryErrorToAFieldOnThePage()
    {
        using var admin = await PageSession.LaunchAsync(host, "admin-dev");
        const string Stacks = "/app/district/catalog/stacks";
        var stack = NewKey();
        await admin.GetAsync(Stacks);
        var saved = await admin.PostAsync($"{Stacks}?handler=stack", new Dictionary<string, string>
        {
            ["IsNewStack"] = "true", ["Stack.Key"] = stack, ["Stack.Title"] = "Linked stack", ["StackCredentials"] = "pa-basic-design",
        });
        Assert.True(saved.StatusCode == HttpStatusCode.Redirect, admin.LastPage);

        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"{Stacks}?stack={stack}")).StatusCode);
        var refusedEdit = await admin.PostAsync($"{Stacks}?handler=stack", new Dictionary<string, string>
        {
            ["IsNewStack"] = "false", ["Stack.Key"] = stack, ["Stack.Title"] = " ",
        });
        Assert.Equal(HttpStatusCode.BadRequest, refusedEdit.StatusCode);
        AssertErrorsLinkToFields(admin.LastPage, "stack-title", "stack-credentials");

        var refusedNew = await admin.PostAsync($"{Stacks}?handler=stack", new Dictionary<string, string>
        {
            ["IsNewStack"] = "true", ["Stack.Key"] = "not a key!", ["Stack.Title"] = "",
        });
        Assert.Equal(HttpStatusCode.BadRequest, refusedNew.StatusCode);
        AssertErrorsLinkToFields(admin.LastPage, "stack-key", "stack-title", "stack-credentials");

        var refusedPathway = await admin.PostAsync($"{Stacks}?handler=pathway", new Dictionary<string, string>
        {
            ["IsNewPathway"] = "false", ["Pathway.Key"] = "", ["Pathway.Title"] = "", ["Pathway.MinimumCount"] = "1", ["Pathway.CommitteeSize"] = "0",
        });
        Assert.Equal(HttpStatusCode.BadRequest, refusedPathway.StatusCode);
        AssertErrorsLinkToFields(admin.LastPage, "pathway-key", "pathway-title", "pathway-minimumCount");
    }

    [Fact]
    public async Task PathwayNumbersThatAreNotNumbers_AreRefusedAsWholeNumbers_KeepingWhatWasTyped_AndSavingNothing()
    {
        using var admin = await PageSession.LaunchAsync(host, "admin-dev");
        var pathway = NewKey();
        await admin.GetAsync("/app/district/catalog/stacks");

        var refused = await admin.PostAsync("/app/district/catalog/stacks?handler=pathway", new Dictionary<string, string>
        {
            ["IsNewPathway"] = "true", ["Pathway.Key"] = pathway, ["Pathway.Title"] = "Wordy pathway", ["PathwayCredentials"] = "pa-basic-design",
            ["Pathway.MinimumCount"] = "one", ["Pathway.CommitteeSize"] = "two", ["Pathway.Reward"] = "None",
        });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = WebUtility.HtmlDecode(admin.LastPage);
        Assert.Contains("<a href=\"#pathway-minimumCount\">Pathway how many credentials: must be a whole number, such as 3.</a>", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#pathway-committeeSize\">Pathway committee size: must be a whole number, such as 3.</a>", page, StringComparison.Ordinal);
        Assert.Contains("value=\"one\"", page, StringComparison.Ordinal);
        AssertErrorsLinkToFields(admin.LastPage, "pathway-minimumCount", "pathway-committeeSize");
        Assert.False(await host.WithDbAsync(db => db.Pathways.AnyAsync(p => p.Key == pathway)));
    }

    /// <summary>The error summary links exactly to <paramref name="expected"/> (in any order), and each is a field's id on the page.</summary>
    private static void AssertErrorsLinkToFields(string page, params string[] expected)
    {
        var summary = page[page.IndexOf("id=\"errors\"", StringComparison.Ordinal)..page.IndexOf("</div>", page.IndexOf("id=\"errors\"", StringComparison.Ordinal), StringComparison.Ordinal)];
        var links = System.Text.RegularExpressions.Regex.Matches(summary, "href=\"#([^\"]+)\"").Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), links);
        foreach (var id in links)
        {
            Assert.Contains($"id=\"{id}\"", page, StringComparison.Ordinal);
        }
    }

    private static string NewKey() => "ed-" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A whole valid credential as the editor's form posts it: one criterion, a three-level rubric.</summary>
    internal static Dictionary<string, string> Fields(string key, string title, string competency, bool isNew = true) => new()
    {
        ["command"] = "save",
        ["Form.IsNew"] = isNew ? "true" : "false",
        ["Form.Key"] = key,
        ["Form.Title"] = title,
        ["Form.Summary"] = "A short summary.",
        ["Form.Competency"] = competency,
        ["Form.KeyMethod"] = "Plan, teach, reflect.",
        ["Form.MethodComponents"] = "Plan the lesson\n\nTeach it\n",
        ["Form.Resources[0].Title"] = "A reading",
        ["Form.Resources[0].Url"] = "https://example.org/reading",
        ["Form.Resources[1].Title"] = "",
        ["Form.Resources[1].Url"] = "",
        ["Form.Criteria[0].Key"] = "sample",
        ["Form.Criteria[0].Title"] = "Lesson plan",
        ["Form.Criteria[0].Kind"] = nameof(EvidenceKind.WorkSample),
        ["Form.Criteria[0].Guidance"] = "Upload the plan.",
        ["Form.Levels[0].Name"] = "Not yet",
        ["Form.Levels[0].Points"] = "0",
        ["Form.Levels[1].Name"] = "Developing",
        ["Form.Levels[1].Points"] = "1",
        ["Form.Levels[2].Name"] = "Proficient",
        ["Form.Levels[2].Points"] = "2",
        ["Form.RubricCriteria[0].Key"] = "key",
        ["Form.RubricCriteria[0].Title"] = "Key criterion",
        ["Form.RubricCriteria[0].Descriptors[0]"] = "Descriptor 1 for key",
        ["Form.RubricCriteria[0].Descriptors[1]"] = "Descriptor 2 for key",
        ["Form.RubricCriteria[0].Descriptors[2]"] = "Descriptor 3 for key",
        ["Form.PassingLevel"] = "2",
    };

    private Task OfferAsync(string key) => host.WithDbAsync(async db =>
    {
        var credential = await db.Credentials.SingleAsync(c => c.Key == key);
        db.Offerings.Add(new Offering { Id = Guid.NewGuid(), TenantId = credential.TenantId, CredentialId = credential.Id, Incentive = new Incentive(IncentiveKind.PdPoints, 2) });
        await db.SaveChangesAsync();
        return 0;
    });

    private Task<Guid> StartAttemptAsync(string key) => host.WithDbAsync(async db =>
    {
        var credential = await db.Credentials.SingleAsync(c => c.Key == key);
        var ada = await db.People.SingleAsync(p => p.TenantId == credential.TenantId && p.Name == "Ada Okafor");
        var school = await db.SchoolMemberships.Where(m => m.PersonId == ada.Id).Select(m => m.SchoolId).FirstAsync();
        var offering = new Offering { Id = Guid.NewGuid(), TenantId = credential.TenantId, CredentialId = credential.Id, Incentive = new Incentive(IncentiveKind.PdPoints, 2) };
        var now = DateTimeOffset.UtcNow;
        var attempt = new Attempt
        {
            Id = Guid.NewGuid(), TenantId = credential.TenantId, TeacherId = ada.Id, CredentialId = credential.Id, CredentialVersionId = credential.CurrentVersionId!.Value,
            OfferingId = offering.Id, SchoolId = school, Status = AttemptStatus.InProgress, Number = 1, CreatedAt = now, UpdatedAt = now, Revision = Guid.NewGuid(),
        };
        db.AddRange(offering, attempt);
        await db.SaveChangesAsync();
        return attempt.Id;
    });
}

public sealed class CatalogEditorTests_Sqlite(SqliteToolHost host) : CatalogEditorTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class CatalogEditorTests_PostgreSql(PostgresToolHost host) : CatalogEditorTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
