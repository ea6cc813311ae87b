using LtiMicroCred.Access;
using LtiMicroCred.Catalog;
using LtiMicroCred.Celebrations;
using LtiMicroCred.Decisions;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Outbox;
using LtiMicroCred.People;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.Celebrations;

/// <summary>
/// Award celebrations and the leaders' digest on the real host: notifications to the right people only, emails through
/// the real outbox job into the host's pickup folder, the email preference, the digest once per period.
/// </summary>
public abstract class CelebrationTests<THost>(THost host) where THost : CelebrationsHost
{
    private const string Evidence = "What I learned";
    private static readonly string[] Recipients = ["ada@north.example", "carla@north.example", "dev@district.example"];
    private const string OverallFeedback = "Your exit-ticket analysis was a model for the team.";

    [Fact]
    public async Task AnAward_NotifiesTheTeacherThePrincipalAndTheAdmins_AndNobodyElse()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var southPrincipal = await AddPersonAsync(host, d, "Sam South-Principal", d.South.Id, ProductRoles.Principal);
        var other = await TestDistrict.CreateAsync(host, requirePlanApproval: false);

        var attemptId = await AwardAsync(d, d.Credential.Id);

        var notifications = await host.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.TenantId == d.TenantId).ToListAsync());
        Assert.Equal(new[] { d.Teacher.Id, d.Principal.Id, d.Admin.Id }.Order(), notifications.Select(n => n.RecipientId).Order());
        var congratulation = Assert.Single(notifications, n => n.RecipientId == d.Teacher.Id);
        Assert.Equal(NotificationKinds.Congratulation, congratulation.Kind);
        Assert.Contains("Data literacy", congratulation.Title, StringComparison.Ordinal);
        Assert.Contains("4 in-service hours", congratulation.Body, StringComparison.Ordinal);
        Assert.Equal($"/app/attempts/{attemptId}", congratulation.Link);
        Assert.All(notifications.Where(n => n.RecipientId != d.Teacher.Id), n =>
        {
            Assert.Equal(NotificationKinds.AwardNotice, n.Kind);
            Assert.Equal("Ada Teacher earned Data literacy", n.Title);
            Assert.Contains("North Elementary", n.Body, StringComparison.Ordinal);
        });
        Assert.All(notifications, n => Assert.DoesNotContain(OverallFeedback, n.Body, StringComparison.Ordinal));
        Assert.DoesNotContain(notifications, n => n.RecipientId == southPrincipal.Id || n.RecipientId == d.SouthTeacher.Id);
        Assert.Equal(0, await host.WithDbAsync(db => db.Notifications.CountAsync(n => n.TenantId == other.TenantId)));
        // Nobody has an address here: no email rows.
        Assert.Equal(0, await host.WithDbAsync(db => db.OutboxMessages.CountAsync(m => m.TenantId == d.TenantId && m.Kind == NotificationWriter.EmailKind)));
    }

    [Fact]
    public async Task AnAwardsEmails_GoThroughTheOutboxJob_ToThePickupFolder_WithTheRightRecipients_EncodedHtml_AndNoEvidence()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        await SetEmailsAsync(d);
        var (credential, _, _) = await d.AddCredentialAsync("fractions", "Fractions & <ratios>", new Incentive(IncentiveKind.PdPoints, 6));

        await AwardAsync(d, credential.Id);

        var messages = await host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.TenantId == d.TenantId && m.Kind == NotificationWriter.EmailKind).ToListAsync());
        Assert.Equal(3, messages.Count);
        var mails = new List<MimeMessage>();
        foreach (var message in messages)
        {
            var done = await host.DoneAsync(message.Id);
            Assert.Equal(1, done.Attempts);
            var file = Path.Combine(host.PickupDirectory, EmailOutboxHandler.MessageIdFor(message.EventId).Replace('@', '_') + ".eml");
            Assert.True(File.Exists(file), "Each email is one .eml file named by its Message-Id.");
            var raw = await File.ReadAllTextAsync(file);
            Assert.DoesNotContain(Evidence, raw, StringComparison.Ordinal);
            Assert.DoesNotContain("sample.pdf", raw, StringComparison.Ordinal);
            Assert.DoesNotContain("exit-ticket", raw, StringComparison.Ordinal);
            mails.Add(await MimeMessage.LoadAsync(file));
        }

        Assert.Equal(Recipients, mails.Select(m => m.To.Mailboxes.Single().Address).Order());
        Assert.All(mails, m => Assert.Equal("microcredentials@district.example", m.From.Mailboxes.Single().Address));
        var teacherMail = mails.Single(m => m.To.Mailboxes.Single().Address == "ada@north.example");
        Assert.Equal("Congratulations: you earned Fractions & <ratios>", teacherMail.Subject);
        Assert.Contains("6 PD points", teacherMail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Fractions &amp; &lt;ratios&gt;", teacherMail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<ratios>", teacherMail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(messages.Select(m => EmailOutboxHandler.MessageIdFor(m.EventId)).Order(), mails.Select(m => m.MessageId).Order());
    }

    [Fact]
    public async Task ATeacherWhoTurnedEmailOff_GetsTheNotificationButNoEmailRow_AndASecondSendOfAnEmailWritesTheSameFile()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        await SetEmailsAsync(d);
        await Use<SetEmailPreference>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Teacher), false, None));

        await AwardAsync(d, d.Credential.Id);

        var notifications = await host.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.TenantId == d.TenantId).ToListAsync());
        Assert.Contains(notifications, n => n.RecipientId == d.Teacher.Id);
        var messages = await host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.TenantId == d.TenantId && m.Kind == NotificationWriter.EmailKind).ToListAsync());
        var emailed = messages.Select(m => System.Text.Json.JsonSerializer.Deserialize<EmailPayload>(m.Payload, System.Text.Json.JsonSerializerOptions.Web)!.NotificationId)
            .Select(id => notifications.Single(n => n.Id == id).RecipientId);
        Assert.Equal(new[] { d.Principal.Id, d.Admin.Id }.Order(), emailed.Order());

        // A send whose "done" was lost runs again: the same Message-Id, the same single file.
        var first = messages[0];
        await host.DoneAsync(first.Id);
        // Only this message's files are counted: other tests' jobs on the same host write to the same folder meanwhile.
        string[] Copies() => System.IO.Directory.GetFiles(host.PickupDirectory, $"{first.EventId:N}*.eml");
        var before = Assert.Single(Copies());
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredKeyedService<IOutboxHandler>(NotificationWriter.EmailKind).SendAsync(first, None);
        }
        Assert.Equal(before, Assert.Single(Copies()));
    }

    [Fact]
    public async Task APersonsNotifications_AreTheirOwn_AndMarkingAnothersIsNotFound()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        await AwardAsync(d, d.Credential.Id);
        var teacher = await d.ActorAsync(d.Teacher);
        var principal = await d.ActorAsync(d.Principal);

        var mine = await host.WithServiceAsync<NotificationQueries, NotificationsView>(q => q.ListAsync(teacher, 1, None));
        var item = Assert.Single(mine.Items);
        Assert.Equal((NotificationKinds.Congratulation, 1, false), (item.Kind, mine.Unread, item.Read));
        var theirs = await host.WithServiceAsync<NotificationQueries, NotificationsView>(q => q.ListAsync(principal, 1, None));
        Assert.Equal(NotificationKinds.AwardNotice, Assert.Single(theirs.Items).Kind);

        await Assert.ThrowsAsync<NotFoundException>(() => Use<MarkNotificationsRead>(host, u => u.OneAsync(principal, item.Id, None)));
        Assert.Equal(1, (await host.WithServiceAsync<NotificationQueries, NotificationsView>(q => q.ListAsync(teacher, 1, None))).Unread);
        await Use<MarkNotificationsRead>(host, u => u.OneAsync(teacher, item.Id, None));
        Assert.Equal(0, await host.WithServiceAsync<NotificationQueries, int>(q => q.UnreadAsync(d.TenantId, d.Teacher.Id, None)));
        Assert.Equal(1, await host.WithServiceAsync<NotificationQueries, int>(q => q.UnreadAsync(d.TenantId, d.Principal.Id, None)));
        Assert.Equal(1, await host.WithServiceAsync<MarkNotificationsRead, int>(u => u.AllAsync(principal, None)));
        Assert.Equal(0, await host.WithServiceAsync<NotificationQueries, int>(q => q.UnreadAsync(d.TenantId, d.Principal.Id, None)));
        Assert.Equal(1, await host.WithServiceAsync<NotificationQueries, int>(q => q.UnreadAsync(d.TenantId, d.Admin.Id, None)));
    }

    [Fact]
    public async Task TheDigest_GoesOncePerPeriod_EvenWhenTheJobRunsTwiceAtOnce_WithEachLeadersOwnSchools()
    {
        // Monday 3 March 2031, 09:30 UTC; daily digest at 08:00.
        host.Clock.MoveTo(new DateTimeOffset(2031, 3, 3, 9, 30, 0, TimeSpan.Zero));
        try
        {
            var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
            await SetEmailsAsync(d);
            var southPrincipal = await AddPersonAsync(host, d, "Sam South-Principal", d.South.Id, ProductRoles.Principal);
            var admin = await d.ActorAsync(d.Admin);
            await Use<SetDigestSettings>(host, u => u.HandleAsync(admin, DigestFrequency.Daily, DayOfWeek.Monday, 8, None));
            Assert.Contains(await host.WithDbAsync(db => db.AuditEntries.Where(a => a.TenantId == d.TenantId && a.Action == "policy.changed").Select(a => a.Detail).ToListAsync()),
                a => a == "Leaders' digest daily at 08:00 UTC");

            await AwardAsync(d, d.Credential.Id);
            var (reading, _, _) = await d.AddCredentialAsync("reading", "Reading workshop");
            var waiting = await SubmittedAsync(host, await d.ActorAsync(d.Teacher), reading.Id);
            var reviewer = await AddPersonAsync(host, d, "Rita Reviewer", d.North.Id, ProductRoles.PeerReviewer);
            await AddReviewAsync(host, d.TenantId, waiting, reviewer.Id, ReviewStatus.Allocated, null, dueAt: host.Clock.GetUtcNow().AddDays(-1));

            // Today's 08:00 came before the setting was saved: nothing yet.
            await RunDigestAsync();
            Assert.Equal(0, await DigestsAsync(d));

            host.Clock.MoveTo(new DateTimeOffset(2031, 3, 4, 8, 5, 0, TimeSpan.Zero));
            await Task.WhenAll(RunDigestAsync(), RunDigestAsync());
            await RunDigestAsync();

            Assert.Equal(1, await host.WithDbAsync(db => db.DigestRuns.CountAsync(r => r.TenantId == d.TenantId)));
            var digests = await host.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.TenantId == d.TenantId && n.Kind == NotificationKinds.Digest).ToListAsync());
            Assert.Equal(new[] { d.Principal.Id, d.Admin.Id }.Order(), digests.Select(n => n.RecipientId).Order());
            Assert.DoesNotContain(digests, n => n.RecipientId == southPrincipal.Id || n.RecipientId == d.Teacher.Id);
            foreach (var digest in digests)
            {
                Assert.Equal("Microcredentials digest: 1 awarded, 1 waiting for your decision", digest.Title);
                Assert.Contains("- Data literacy: 1", digest.Body, StringComparison.Ordinal);
                Assert.Contains("Attempts waiting for your decision: 1", digest.Body, StringComparison.Ordinal);
                Assert.Contains("Peer reviews overdue: 1", digest.Body, StringComparison.Ordinal);
                Assert.Contains("since 2031-03-03 08:00 UTC", digest.Body, StringComparison.Ordinal);
                Assert.Equal("/app/approvals", digest.Link);
            }

            Assert.Contains("at North Elementary", digests.Single(n => n.RecipientId == d.Principal.Id).Body, StringComparison.Ordinal);
            Assert.Contains("across the district", digests.Single(n => n.RecipientId == d.Admin.Id).Body, StringComparison.Ordinal);
            var digestIds = digests.Select(n => n.Id).ToHashSet();
            var emails = (await host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.TenantId == d.TenantId && m.Kind == NotificationWriter.EmailKind).ToListAsync()))
                .Where(m => digestIds.Contains(System.Text.Json.JsonSerializer.Deserialize<EmailPayload>(m.Payload, System.Text.Json.JsonSerializerOptions.Web)!.NotificationId)).ToList();
            Assert.Equal(2, emails.Count);

            // The next day's digest counts awards since this one (none), and what is still waiting now.
            host.Clock.MoveTo(new DateTimeOffset(2031, 3, 5, 8, 1, 0, TimeSpan.Zero));
            await RunDigestAsync();
            Assert.Equal(2, await host.WithDbAsync(db => db.DigestRuns.CountAsync(r => r.TenantId == d.TenantId)));
            var next = await host.WithDbAsync(db => db.Notifications.AsNoTracking().Where(n => n.TenantId == d.TenantId && n.Kind == NotificationKinds.Digest && !digestIds.Contains(n.Id)).ToListAsync());
            Assert.Equal(new[] { d.Principal.Id, d.Admin.Id }.Order(), next.Select(n => n.RecipientId).Order());
            Assert.All(next, n => Assert.Contains("since 2031-03-04 08:00 UTC.\n\nCredentials awarded: 0\n\nAttempts waiting for your decision: 1", n.Body, StringComparison.Ordinal));
        }
        finally
        {
            host.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task TheDigestSetting_IsForDistrictAdminsOnly_AndTheWeeklyPeriodStartsOnTheChosenDay()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Use<SetDigestSettings>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), DigestFrequency.Weekly, DayOfWeek.Friday, 7, None)));
        var bad = await Assert.ThrowsAsync<InvalidInputException>(async () => await Use<SetDigestSettings>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Admin), DigestFrequency.Weekly, DayOfWeek.Friday, 24, None)));
        Assert.True(bad.Errors.ContainsKey("hour"));
        Assert.False(await host.WithDbAsync(db => db.DigestSettings.AnyAsync(s => s.TenantId == d.TenantId)));

        var weekly = new DigestSettings { Frequency = DigestFrequency.Weekly, Day = DayOfWeek.Friday, Hour = 7 };
        // Tuesday 4 March 2031 → Friday 28 February 07:00; Friday 7 March 06:59 → still 28 February; 07:00 → 7 March.
        Assert.Equal(new DateTimeOffset(2031, 2, 28, 7, 0, 0, TimeSpan.Zero), LeadersDigestJob.CurrentPeriod(weekly, new DateTimeOffset(2031, 3, 4, 12, 0, 0, TimeSpan.Zero)).Start);
        Assert.Equal(new DateTimeOffset(2031, 2, 28, 7, 0, 0, TimeSpan.Zero), LeadersDigestJob.CurrentPeriod(weekly, new DateTimeOffset(2031, 3, 7, 6, 59, 0, TimeSpan.Zero)).Start);
        Assert.Equal(new DateTimeOffset(2031, 3, 7, 7, 0, 0, TimeSpan.Zero), LeadersDigestJob.CurrentPeriod(weekly, new DateTimeOffset(2031, 3, 7, 7, 0, 0, TimeSpan.Zero)).Start);
    }

    private Task RunDigestAsync() => host.WithServiceAsync<LeadersDigestJob, int>(j => j.RunAsync(None));

    private Task<int> DigestsAsync(TestDistrict d) => host.WithDbAsync(db => db.Notifications.CountAsync(n => n.TenantId == d.TenantId && n.Kind == NotificationKinds.Digest));

    private Task SetEmailsAsync(TestDistrict d) => host.WithDbAsync(async db =>
    {
        var emails = new Dictionary<Guid, string>
        {
            [d.Teacher.Id] = "ada@north.example",
            [d.Principal.Id] = "carla@north.example",
            [d.Admin.Id] = "dev@district.example",
            [d.SouthTeacher.Id] = "ben@south.example",
        };
        foreach (var person in await db.People.Where(p => p.TenantId == d.TenantId).ToListAsync())
        {
            person.Email = emails.GetValueOrDefault(person.Id);
        }

        return await db.SaveChangesAsync();
    });

    private async Task<Guid> AwardAsync(TestDistrict d, Guid credentialId)
    {
        var id = await SubmittedAsync(host, await d.ActorAsync(d.Teacher), credentialId);
        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), OverallFeedback), None));
        return id;
    }
}

public sealed class CelebrationTests_Sqlite(SqliteCelebrationsHost host) : CelebrationTests<SqliteCelebrationsHost>(host), IClassFixture<SqliteCelebrationsHost>;

public sealed class CelebrationTests_PostgreSql(PostgresCelebrationsHost host) : CelebrationTests<PostgresCelebrationsHost>(host), IClassFixture<PostgresCelebrationsHost>;
