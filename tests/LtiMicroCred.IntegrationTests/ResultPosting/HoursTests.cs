using System.Globalization;
using System.Net;
using System.Text.Json;
using LtiMicroCred.Access;
using LtiMicroCred.Decisions;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Ledger;
using LtiMicroCred.Outbox;
using LtiMicroCred.ResultPosting;
using LtiMicroCred.ResultPosting.Hours;
using Microsoft.EntityFrameworkCore;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.ResultPosting;

/// <summary>
/// In-service hours to the PD course's line item and a credential's own line item, through the real outbox and Hangfire,
/// against a WireMock LMS with Canvas-shaped answers and against the sandbox LMS.
/// </summary>
public abstract class HoursTests<THost>(THost host) where THost : HoursHost
{
    [Fact]
    public async Task PdCourse_IsChosenOnce_AndEachTeachersRunningTotal_IsPostedAfterAnAwardAndACorrection_NeverAnOlderTotal()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var lms = await WireMockLms.CreateAsync(host);
        var d = lms.District;
        var admin = await d.ActorAsync(d.Admin);
        var pd = await lms.CourseAsync("pd");
        var lineItem = lms.StubLineItems("pd", UsePdCourseForHours.ResourceId, UsePdCourseForHours.Tag, 77);
        lms.StubScores(lineItem);

        // No launch course, a course without AGS, a principal: refused plainly, nothing stored.
        var none = await Assert.ThrowsAsync<RuleViolationException>(() => Use<UsePdCourseForHours>(host, u => u.HandleAsync(admin, null, None)));
        Assert.Contains("no course", none.Message, StringComparison.Ordinal);
        var noAgs = await lms.CourseAsync("no-ags", withAgs: false);
        var refused = await Assert.ThrowsAsync<RuleViolationException>(() => Use<UsePdCourseForHours>(host, u => u.HandleAsync(admin, noAgs, None)));
        Assert.Contains("did not offer its gradebook", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Use<UsePdCourseForHours>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), pd, None)));

        // Chosen twice: one line item made (the second finds it by resourceId and tag), audited.
        await Use<UsePdCourseForHours>(host, u => u.HandleAsync(admin, pd, None));
        await Use<UsePdCourseForHours>(host, u => u.HandleAsync(admin, pd, None));
        Assert.Equal(1, lms.Requests(lms.Prefix + "/pd/line_items", "POST"));
        var created = JsonDocument.Parse(host.Platform.Server.LogEntries.Single(e => e.RequestMessage.Path == lms.Prefix + "/pd/line_items" && e.RequestMessage.Method == "POST").RequestMessage.Body!).RootElement;
        Assert.Equal(("In-service hours", UsePdCourseForHours.ResourceId, UsePdCourseForHours.Tag), (created.GetProperty("label").GetString(), created.GetProperty("resourceId").GetString(), created.GetProperty("tag").GetString()));
        var settings = await host.WithDbAsync(db => db.HoursSettings.AsNoTracking().SingleAsync(s => s.TenantId == d.TenantId));
        Assert.Equal((pd, lineItem, d.PlatformId), (settings.CourseId, settings.LineItemUrl, settings.PlatformId));
        Assert.Equal(2, await host.WithDbAsync(db => db.AuditEntries.CountAsync(a => a.TenantId == d.TenantId && a.Action == "policy.changed" && a.Detail!.Contains("PD course"))));

        // An award: the total (4) with the entry's time.
        var award = await lms.AwardAsync();
        var first = Assert.Single(await host.MessagesAsync(d.TenantId, HoursPassback.Kind));
        await host.WaitAsync(first.Id, m => m.Status == OutboxStatus.Done);
        var posted = Assert.Single(lms.ScoreBodies(lineItem));
        Assert.Equal((d.Teacher.Subject, 4d, 100d), ((string?)posted["userId"], (double?)posted["scoreGiven"], (double?)posted["scoreMaximum"]));
        Assert.Equal(award.ApprovedAt, Timestamp(posted));

        // A correction to 3 hours: a reversal and a new award, each posting the total 3 with the correction's time.
        host.Clock.Offset = TimeSpan.FromMinutes(5);
        var reversal = await host.WithServiceAsync<CorrectLedgerEntry, Guid>(u => u.HandleAsync(admin, award.Id, "The session was 3 hours.", 3m, None));
        var later = (await host.MessagesAsync(d.TenantId, HoursPassback.Kind)).Where(m => m.Id != first.Id).ToList();
        Assert.Equal(2, later.Count);
        foreach (var m in later)
        {
            await host.WaitAsync(m.Id, x => x.Status == OutboxStatus.Done);
        }

        var correctedAt = await host.WithDbAsync(db => db.LedgerEntries.Where(e => e.Id == reversal).Select(e => e.ApprovedAt).SingleAsync());
        var afterCorrection = lms.ScoreBodies(lineItem).Skip(1).ToList();
        Assert.Equal(2, afterCorrection.Count);
        Assert.All(afterCorrection, b => Assert.Equal((3d, correctedAt), ((double?)b["scoreGiven"], Timestamp(b))));

        // The award's message sent again late (its "done" lost): it posts the newest total, never the older 4.
        await host.WithDbAsync(db => db.OutboxMessages.Where(m => m.Id == first.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Pending)));
        await host.SendAsync(first.Id);
        Assert.Equal(OutboxStatus.Done, (await host.MessageAsync(first.Id)).Status);
        var last = lms.ScoreBodies(lineItem)[^1];
        Assert.Equal(4, lms.ScoreBodies(lineItem).Count);
        Assert.Equal((3d, correctedAt), ((double?)last["scoreGiven"], Timestamp(last)));
        Assert.Equal(3m, (await host.WithDbAsync(db => HoursPassbackHandler.TotalAsync(db, d.TenantId, d.Teacher.Id, None)))!.Value.Hours);
        host.Clock.Offset = TimeSpan.Zero;
    }

    [Fact]
    public async Task CredentialLineItem_IsMadeOnceWithTheCredentialKey_AndADecisionPostsItsScoreThereToo()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var lms = await WireMockLms.CreateAsync(host);
        var d = lms.District;
        var admin = await d.ActorAsync(d.Admin);
        var mc = await lms.CourseAsync("mc");
        var own = lms.StubLineItems("mc", d.Credential.Key, CreateCredentialLineItem.Tag, 90);
        lms.StubScores(own);
        var mapped = await lms.MapAsync("sample", lms.Prefix + "/line_items/1");
        lms.StubScores(mapped);

        await Assert.ThrowsAsync<ForbiddenException>(async () => await Use<CreateCredentialLineItem>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Teacher), d.Credential.Id, mc, None)));
        var stranger = await WireMockLms.CreateAsync(host);
        await Assert.ThrowsAsync<NotFoundException>(async () => await Use<CreateCredentialLineItem>(host, async u => await u.HandleAsync(await stranger.District.ActorAsync(stranger.District.Admin), d.Credential.Id, mc, None)));
        await Use<CreateCredentialLineItem>(host, u => u.HandleAsync(admin, d.Credential.Id, mc, None));
        var again = await Assert.ThrowsAsync<RuleViolationException>(() => Use<CreateCredentialLineItem>(host, u => u.HandleAsync(admin, d.Credential.Id, mc, None)));
        Assert.Contains("already", again.Message, StringComparison.Ordinal);
        var created = JsonDocument.Parse(host.Platform.Server.LogEntries.Single(e => e.RequestMessage.Path == lms.Prefix + "/mc/line_items" && e.RequestMessage.Method == "POST").RequestMessage.Body!).RootElement;
        Assert.Equal((d.Credential.Key, d.Credential.Title, 2d), (created.GetProperty("resourceId").GetString(), created.GetProperty("label").GetString(), created.GetProperty("scoreMaximum").GetDouble()));
        var view = await host.WithServiceAsync<CredentialLineItemQueries, CredentialLineItemView>(q => q.GetAsync(admin, d.Credential.Id, mc, None));
        Assert.Equal((own, "Course mc"), (view.LineItemUrl, view.CourseTitle));

        await lms.AwardAsync();
        var grades = await host.MessagesAsync(d.TenantId, GradePassback.Kind);
        Assert.Equal(2, grades.Count);
        foreach (var m in grades)
        {
            await host.WaitAsync(m.Id, x => x.Status == OutboxStatus.Done);
        }

        var decision = await host.WithDbAsync(db => db.AttemptDecisions.AsNoTracking().SingleAsync(x => x.TenantId == d.TenantId));
        foreach (var url in new[] { own, mapped })
        {
            var body = Assert.Single(lms.ScoreBodies(url));
            Assert.Equal((d.Teacher.Subject, 2d, 2d, decision.DecidedAt), ((string?)body["userId"], (double?)body["scoreGiven"], (double?)body["scoreMaximum"], Timestamp(body)));
        }
    }

    [Fact]
    public async Task Sandbox_DevChoosesThePdCourseOnThePage_AndAnAwardShowsUpAsHoursInTheSandboxGradebook()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var (tenantId, credential) = await SandboxDistrict.OfferAsync(host, "hours-sandbox");
        using var dev = await PageSession.LaunchAsync(host, "admin-dev", "course-pd-1");
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada", "course-pd-1");
        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync("/app/district/hours")).StatusCode);
        Assert.Contains("/app/district/hours", await (await dev.GetAsync("/app")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await dev.GetAsync("/app/district/hours")).StatusCode);
        Assert.Contains("No PD course is chosen yet", dev.LastPage, StringComparison.Ordinal);
        Assert.Contains("Use this course for in-service hours", dev.LastPage, StringComparison.Ordinal);

        await dev.FollowAsync(await dev.PostAsync("/app/district/hours", new Dictionary<string, string>()));
        var page = WebUtility.HtmlDecode(dev.LastPage);
        Assert.Contains("This course now receives the in-service hours.", page, StringComparison.Ordinal);
        Assert.Contains("Hours go to the “In-service hours” column of <strong>PD Course: In-service Hours</strong>", page, StringComparison.Ordinal);

        var entry = await SandboxDistrict.AwardAdaAsync(host, tenantId, credential.Id);
        var message = Assert.Single(await host.MessagesAsync(tenantId, HoursPassback.Kind), m => m.Payload.Contains(entry.Id.ToString(), StringComparison.Ordinal));
        await host.WaitAsync(message.Id, m => m.Status == OutboxStatus.Done);
        var hours = (await host.WithDbAsync(db => HoursPassbackHandler.TotalAsync(db, tenantId, entry.TeacherId, None)))!.Value.Hours;

        // The sandbox's own gradebook (its course page as the instructor sees it): the column and Ada's total.
        using var browser = host.CreateRawClient();
        var gradebook = WebUtility.HtmlDecode(await browser.GetStringAsync("/sandbox/course/course-pd-1?person=admin-dev"));
        var section = gradebook[gradebook.IndexOf("id=\"gradebook-heading\"", StringComparison.Ordinal)..];
        Assert.Contains("In-service hours", section, StringComparison.Ordinal);
        var adaRow = section[section.IndexOf("Ada Okafor", StringComparison.Ordinal)..];
        adaRow = adaRow[..adaRow.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains(hours.ToString("0.##", CultureInfo.InvariantCulture), adaRow, StringComparison.Ordinal);
    }

    private static DateTimeOffset Timestamp(System.Text.Json.Nodes.JsonObject body) =>
        DateTimeOffset.Parse((string)body["timestamp"]!, CultureInfo.InvariantCulture);
}

public sealed class HoursTests_Sqlite(SqliteHoursHost host) : HoursTests<SqliteHoursHost>(host), IClassFixture<SqliteHoursHost>;

public sealed class HoursTests_PostgreSql(PostgresHoursHost host) : HoursTests<PostgresHoursHost>(host), IClassFixture<PostgresHoursHost>;
