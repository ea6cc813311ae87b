using System.Net;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.IntegrationTests.Catalog;
using LtiMicroCred.IntegrationTests.Directory;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.People;
using LtiMicroCred.ResultPosting;
using Microsoft.EntityFrameworkCore;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.Settings;

/// <summary>The district settings pages (offerings, budgets, programme) over real HTTP through the real host.</summary>
public abstract class DistrictSettingsPagesTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task Offering_AddedForOneSchool_ShowsInThatSchoolsTeacherCatalog_AndNotInAnotherSchools()
    {
        var d = await TestDistrict.CreateAsync(host);
        var credential = await UnofferedCredentialAsync(d, "coaching-cycles", "Coaching cycles");
        using var browser = new DirectoryBrowser(host);
        var admin = await DirectoryBrowser.TokenAsync(host, d.TenantId, d.Admin);
        Assert.DoesNotContain("Coaching cycles", await CatalogAsync(browser, d, d.Teacher), StringComparison.Ordinal);

        var page = await browser.OpenAsync($"/app/district/offerings?lt={admin}");
        Assert.Contains("Dates are in UTC", page.Html, StringComparison.Ordinal);
        var saved = await browser.PostFormAsync("/app/district/offerings", page,
            OfferingFields(admin, credential, d.North.Id, "2026-09-01", "2027-06-30", "InServiceHours", "3"));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("Coaching cycles", await CatalogAsync(browser, d, d.Teacher), StringComparison.Ordinal);
        Assert.DoesNotContain("Coaching cycles", await CatalogAsync(browser, d, d.SouthTeacher), StringComparison.Ordinal);
        var offering = await host.WithDbAsync(db => db.Offerings.AsNoTracking().SingleAsync(o => o.CredentialId == credential));
        Assert.Equal((d.North.Id, new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero), new Incentive(IncentiveKind.InServiceHours, 3)),
            (offering.SchoolId!.Value, offering.WindowOpensAt!.Value, offering.Incentive));
        Assert.Equal(new DateTimeOffset(2027, 6, 30, 23, 59, 59, TimeSpan.Zero), offering.WindowClosesAt);
        Assert.True(await host.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.SubjectId == offering.Id && a.Action == "offering.created" && a.ActorId == d.Admin.Id)));
        var filtered = await (await browser.GetAsync($"/app/district/offerings?school={d.South.Id}&lt={admin}")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<th scope=\"row\">Coaching cycles", filtered, StringComparison.Ordinal);
        var north = await (await browser.GetAsync($"/app/district/offerings?school={d.North.Id}&lt={admin}")).Content.ReadAsStringAsync();
        Assert.Contains("<th scope=\"row\">Coaching cycles</th><td>North Elementary</td>", north, StringComparison.Ordinal);
        // Its edit link keeps the launch token in the query, before the fragment (after it, the token would be lost).
        Assert.Matches($"href=\"/app/district/offerings\\?edit={offering.Id}&amp;lt=[^\"#]+#offering-form\"", north);

        // Editing it to inactive takes it out of the teacher's catalog.
        var edit = await browser.OpenAsync($"/app/district/offerings?edit={offering.Id}&lt={admin}");
        Assert.Contains("value=\"2027-06-30\"", edit.Html, StringComparison.Ordinal);
        var fields = OfferingFields(admin, credential, d.North.Id, "2026-09-01", "2027-06-30", "InServiceHours", "3").Where(f => f.Key != "active")
            .Append(new("id", offering.Id.ToString()));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/app/district/offerings", edit, fields)).StatusCode);
        Assert.False(await host.WithDbAsync(db => db.Offerings.Where(o => o.Id == offering.Id).Select(o => o.Active).SingleAsync()));
        Assert.DoesNotContain("Coaching cycles", await CatalogAsync(browser, d, d.Teacher), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Offering_WhoseWindowClosesBeforeItOpens_IsRefusedWithTheFieldNamed_AndNothingIsSaved()
    {
        var d = await TestDistrict.CreateAsync(host);
        var credential = await UnofferedCredentialAsync(d, "coaching-cycles", "Coaching cycles");
        using var browser = new DirectoryBrowser(host);
        var admin = await DirectoryBrowser.TokenAsync(host, d.TenantId, d.Admin);
        var page = await browser.OpenAsync($"/app/district/offerings?lt={admin}");

        var refused = await browser.PostFormAsync("/app/district/offerings", page, OfferingFields(admin, credential, null, "2026-09-10", "2026-09-01", "PdPoints", "-2"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains("<a href=\"#closes\">The window must close after it opens.</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#amount\">The amount must not be negative.</a>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"2026-09-10\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        Assert.False(await host.WithDbAsync(db => db.Offerings.AnyAsync(o => o.CredentialId == credential)));
        Assert.False(await host.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.TenantId == d.TenantId && a.Action == "offering.created")));

        var undated = await browser.PostFormAsync("/app/district/offerings", page, OfferingFields(admin, credential, null, "next week", string.Empty, "PdPoints", "2"));
        Assert.Equal(HttpStatusCode.BadRequest, undated.StatusCode);
        Assert.Contains("href=\"#opens\"", await undated.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var twice = await browser.PostFormAsync("/app/district/offerings", page, OfferingFields(admin, d.Credential.Id, null, string.Empty, string.Empty, "PdPoints", "2"));
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("already offered there", WebUtility.HtmlDecode(await twice.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        // A retired credential gets no new offering; its existing one can still be closed.
        await host.WithDbAsync(db => db.Credentials.Where(c => c.Id == credential || c.Id == d.Credential.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.Retired, true)));
        var retired = await browser.PostFormAsync("/app/district/offerings", page, OfferingFields(admin, credential, null, string.Empty, string.Empty, "PdPoints", "2"));
        Assert.Equal(HttpStatusCode.BadRequest, retired.StatusCode);
        Assert.Contains("<a href=\"#credential\">Choose a microcredential of your district that is not retired.</a>", await retired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var closing = await browser.PostFormAsync("/app/district/offerings", page,
            OfferingFields(admin, d.Credential.Id, null, string.Empty, "2026-12-31", "InServiceHours", "4").Append(new("id", d.Offering.Id.ToString())));
        Assert.Equal(HttpStatusCode.Redirect, closing.StatusCode);
    }

    [Fact]
    public async Task Budget_LoweredBelowWhatIsReserved_IsRefusedInPlainWords_AndKeepsItsAmount()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var year = BudgetYear.Of(DateTimeOffset.UtcNow);
        using var browser = new DirectoryBrowser(host);
        var admin = await DirectoryBrowser.TokenAsync(host, d.TenantId, d.Admin);
        var page = await browser.OpenAsync($"/app/district/budgets?lt={admin}");
        var added = await browser.PostFormAsync("/app/district/budgets", page,
            [new("lt", admin), new("year", year.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("school", d.North.Id.ToString()), new("kind", "InServiceHours"), new("amount", "10")]);
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var budget = await host.WithDbAsync(db => db.IncentiveBudgets.AsNoTracking().SingleAsync(b => b.TenantId == d.TenantId));
        Assert.Equal((d.North.Id, year, 10m), (budget.SchoolId!.Value, budget.Year, budget.Amount));
        var attempt = await host.WithServiceAsync<StartAttempt, Guid>(async u => await u.HandleAsync(await d.ActorAsync(d.Teacher), d.Credential.Id, None));
        await host.WithDbAsync(async db =>
        {
            db.BudgetReservations.Add(new BudgetReservation
            {
                Id = Guid.NewGuid(), TenantId = d.TenantId, SchoolId = d.North.Id, Year = year, Kind = IncentiveKind.InServiceHours, Amount = 4, AttemptId = attempt, ReservedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });

        var edit = await browser.OpenAsync($"/app/district/budgets?edit={budget.Id}&lt={admin}");
        Assert.Contains("Reserved so far: 4", edit.Html, StringComparison.Ordinal);
        var lowered = await browser.PostFormAsync("/app/district/budgets", edit, [new("lt", admin), new("id", budget.Id.ToString()), new("amount", "3")]);

        Assert.Equal(HttpStatusCode.BadRequest, lowered.StatusCode);
        Assert.Contains("Approved plans have already reserved 4 of this budget (awards included), so it cannot be lowered to 3. Choose 4 or more.",
            WebUtility.HtmlDecode(await lowered.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(10m, await host.WithDbAsync(db => db.IncentiveBudgets.Where(b => b.Id == budget.Id).Select(b => b.Amount).SingleAsync()));

        var fits = await browser.PostFormAsync("/app/district/budgets", edit, [new("lt", admin), new("id", budget.Id.ToString()), new("amount", "4")]);
        Assert.Equal(HttpStatusCode.Redirect, fits.StatusCode);
        Assert.Equal(4m, await host.WithDbAsync(db => db.IncentiveBudgets.Where(b => b.Id == budget.Id).Select(b => b.Amount).SingleAsync()));
        Assert.True(await host.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.SubjectId == budget.Id && a.Action == "budget.changed" && a.Detail!.Contains("10 -> 4"))));
        var list = await (await browser.GetAsync($"/app/district/budgets?lt={admin}")).Content.ReadAsStringAsync();
        Assert.Contains($"/app/reports/incentives?year={year}", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportedCatalog_RestoresTheProgrammePagesSettings_AndAFileWithoutGradeSettingsLeavesThemAsTheyAre()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: true);
        using var browser = new DirectoryBrowser(host);
        var admin = await DirectoryBrowser.TokenAsync(host, d.TenantId, d.Admin);
        var actor = await d.ActorAsync(d.Admin);
        async Task SetAsync(params KeyValuePair<string, string>[] fields)
        {
            var page = await browser.OpenAsync($"/app/district/programme?lt={admin}");
            Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/app/district/programme", page, [new("lt", admin), .. fields])).StatusCode);
        }

        Task<(bool, GradeScale, NotYetGrade)> StoredAsync() => host.WithDbAsync(async db =>
        {
            var settings = await db.ProgrammeSettings.AsNoTracking().SingleAsync(s => s.TenantId == d.TenantId);
            return (settings.RequirePlanApproval, settings.GradeScale, settings.NotYetGrade);
        });

        await SetAsync(new("gradeScale", "CompleteIncomplete"), new("notYetGrade", "Pending"));
        var file = CatalogJson.Write(await host.ExportAsync(actor));
        Assert.Contains("\"gradeScale\": \"completeIncomplete\"", System.Text.Encoding.UTF8.GetString(file), StringComparison.Ordinal);
        await SetAsync(new("requirePlanApproval", "true"), new("gradeScale", "RubricPoints"), new("notYetGrade", "Score"));
        Assert.Equal((true, GradeScale.RubricPoints, NotYetGrade.Score), await StoredAsync());

        var summary = await host.ImportAsync(actor, file);

        Assert.True(summary.SettingsChanged);
        Assert.Equal((false, GradeScale.CompleteIncomplete, NotYetGrade.Pending), await StoredAsync());
        await host.ImportAsync(actor, new CatalogDocument { Format = CatalogDocument.CurrentFormat, Settings = new CatalogSettings { RequirePlanApproval = true } });
        Assert.Equal((true, GradeScale.CompleteIncomplete, NotYetGrade.Pending), await StoredAsync());
    }

    [Fact]
    public async Task ProgrammeSettings_AreSavedWithAnAuditEntry_AndPlanApprovalOffLetsWorkStartWithoutAnApprovedPlan()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: true);
        using var browser = new DirectoryBrowser(host);
        var admin = await DirectoryBrowser.TokenAsync(host, d.TenantId, d.Admin);
        var page = await browser.OpenAsync($"/app/district/programme?lt={admin}");
        Assert.Contains("/app/district/reviews", page.Html, StringComparison.Ordinal);

        var saved = await browser.PostFormAsync("/app/district/programme", page, [new("lt", admin), new("gradeScale", "CompleteIncomplete"), new("notYetGrade", "Pending")]);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var settings = await host.WithDbAsync(db => db.ProgrammeSettings.AsNoTracking().SingleAsync(s => s.TenantId == d.TenantId));
        Assert.Equal((false, GradeScale.CompleteIncomplete, NotYetGrade.Pending), (settings.RequirePlanApproval, settings.GradeScale, settings.NotYetGrade));
        Assert.True(await host.WithDbAsync(db => db.AuditEntries.AnyAsync(a => a.TenantId == d.TenantId && a.Action == "policy.changed" && a.ActorId == d.Admin.Id)));
        var teacher = await d.ActorAsync(d.Teacher);
        var attempt = await host.WithServiceAsync<StartAttempt, Guid>(u => u.HandleAsync(teacher, d.Credential.Id, None));
        await Use<StartWork>(host, u => u.HandleAsync(teacher, attempt, None));
        Assert.Equal(AttemptStatus.InProgress, await host.WithDbAsync(db => db.Attempts.Where(a => a.Id == attempt).Select(a => a.Status).SingleAsync()));
    }

    [Fact]
    public async Task SettingsPages_RefuseTeachersAndPrincipals()
    {
        var d = await TestDistrict.CreateAsync(host);
        using var browser = new DirectoryBrowser(host);
        foreach (var person in new[] { d.Teacher, d.Principal })
        {
            var token = await DirectoryBrowser.TokenAsync(host, d.TenantId, person);
            // A form token of a page this person may open (form tokens are bound to the launch).
            var own = await browser.OpenAsync($"/app/catalog/{d.Credential.Key}?lt={token}");
            foreach (var path in Paths)
            {
                Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync($"{path}?lt={token}")).StatusCode);
                var post = await browser.PostFormAsync(path, own,
                    [new("lt", token), new("credential", d.Credential.Id.ToString()), new("year", "2026"), new("kind", "PdPoints"), new("amount", "1"), new("gradeScale", "CompleteIncomplete"), new("notYetGrade", "Score")]);
                Assert.True(post.StatusCode == HttpStatusCode.Forbidden, $"{path} as {person.Name}: {post.StatusCode}");
            }
        }

        Assert.Equal(1, await host.WithDbAsync(db => db.Offerings.CountAsync(o => o.TenantId == d.TenantId)));
        Assert.False(await host.WithDbAsync(db => db.IncentiveBudgets.AnyAsync(b => b.TenantId == d.TenantId)));
        Assert.Equal(GradeScale.RubricPoints, await host.WithDbAsync(db => db.ProgrammeSettings.Where(s => s.TenantId == d.TenantId).Select(s => s.GradeScale).SingleAsync()));
    }

    [Fact]
    public async Task AnotherDistrictsOfferingAndBudget_AreNotFound_AndItsCredentialIsRefused()
    {
        var d = await TestDistrict.CreateAsync(host);
        var other = await TestDistrict.CreateAsync(host);
        var budget = new IncentiveBudget { Id = Guid.NewGuid(), TenantId = d.TenantId, Year = 2026, Kind = IncentiveKind.PdPoints, Amount = 5, Revision = Guid.NewGuid() };
        await host.WithDbAsync(async db =>
        {
            db.IncentiveBudgets.Add(budget);
            return await db.SaveChangesAsync();
        });
        using var browser = new DirectoryBrowser(host);
        var stranger = await DirectoryBrowser.TokenAsync(host, other.TenantId, other.Admin);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/app/district/offerings?edit={d.Offering.Id}&lt={stranger}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/app/district/budgets?edit={budget.Id}&lt={stranger}")).StatusCode);
        var offerings = await browser.OpenAsync($"/app/district/offerings?lt={stranger}");
        Assert.DoesNotContain(d.Credential.Id.ToString(), offerings.Html, StringComparison.Ordinal);
        var editOffering = await browser.PostFormAsync("/app/district/offerings", offerings,
            OfferingFields(stranger, other.Credential.Id, null, string.Empty, string.Empty, "PdPoints", "9").Append(new("id", d.Offering.Id.ToString())));
        Assert.Equal(HttpStatusCode.NotFound, editOffering.StatusCode);
        var budgets = await browser.OpenAsync($"/app/district/budgets?lt={stranger}");
        var editBudget = await browser.PostFormAsync("/app/district/budgets", budgets, [new("lt", stranger), new("id", budget.Id.ToString()), new("amount", "0")]);
        Assert.Equal(HttpStatusCode.NotFound, editBudget.StatusCode);
        var theirs = await browser.PostFormAsync("/app/district/offerings", offerings, OfferingFields(stranger, d.Credential.Id, d.North.Id, string.Empty, string.Empty, "PdPoints", "9"));
        Assert.Equal(HttpStatusCode.BadRequest, theirs.StatusCode);
        var html = await theirs.Content.ReadAsStringAsync();
        Assert.Contains("href=\"#credential\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"#school\"", html, StringComparison.Ordinal);

        Assert.Equal(new Incentive(IncentiveKind.InServiceHours, 4), await host.WithDbAsync(db => db.Offerings.Where(o => o.Id == d.Offering.Id).Select(o => o.Incentive).SingleAsync()));
        Assert.Equal(5m, await host.WithDbAsync(db => db.IncentiveBudgets.Where(b => b.Id == budget.Id).Select(b => b.Amount).SingleAsync()));
        Assert.Equal(1, await host.WithDbAsync(db => db.Offerings.CountAsync(o => o.TenantId == other.TenantId)));
    }

    private static readonly string[] Paths = ["/app/district/offerings", "/app/district/budgets", "/app/district/programme"];

    private static IEnumerable<KeyValuePair<string, string>> OfferingFields(string token, Guid credential, Guid? school, string opens, string closes, string kind, string amount) =>
    [
        new("lt", token), new("credential", credential.ToString()), new("school", school?.ToString() ?? string.Empty), new("opens", opens), new("closes", closes),
        new("kind", kind), new("amount", amount), new("perUnit", "1"), new("active", "true"),
    ];

    private async Task<Guid> UnofferedCredentialAsync(TestDistrict d, string key, string title)
    {
        var (credential, _, offering) = await d.AddCredentialAsync(key, title);
        await host.WithDbAsync(db => db.Offerings.Where(o => o.Id == offering.Id).ExecuteDeleteAsync());
        return credential.Id;
    }

    private async Task<string> CatalogAsync(DirectoryBrowser browser, TestDistrict d, Person teacher)
    {
        var response = await browser.GetAsync($"/app/catalog?lt={await DirectoryBrowser.TokenAsync(host, d.TenantId, teacher)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}

public sealed class DistrictSettingsPagesTests_Sqlite(SqliteToolHost host) : DistrictSettingsPagesTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class DistrictSettingsPagesTests_PostgreSql(PostgresToolHost host) : DistrictSettingsPagesTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
