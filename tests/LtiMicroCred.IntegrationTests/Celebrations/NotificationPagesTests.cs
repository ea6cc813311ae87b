using System.Net;
using LtiMicroCred.Celebrations;
using LtiMicroCred.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Celebrations;

/// <summary>The notifications page and the digest setting page over real HTTP after sandbox launches.</summary>
public abstract class NotificationPagesTests<THost>(THost host) where THost : CelebrationsHost
{
    [Fact]
    public async Task ThePage_ShowsOnlyOwnNotifications_CountsUnreadInTheNav_MarksRead_AndSavesTheEmailChoice()
    {
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        var adaId = await PersonAsync("Ada Okafor");
        var devId = await PersonAsync("Dev Patel");
        await host.WithDbAsync(db => db.Notifications.Where(n => n.RecipientId == adaId).ExecuteDeleteAsync());
        var tag = Guid.NewGuid().ToString("N")[..8];
        var mine = await AddAsync(adaId, $"Congratulations: you earned Fractions {tag}", "Well done & <thank> you.\n\nSecond paragraph.");
        var older = await AddAsync(adaId, $"Older notice {tag}", "An older one.", -60);
        var theirs = await AddAsync(devId, $"Ada Okafor earned Fractions {tag}", "Not for Ada.");

        var page = await (await ada.GetAsync("/app/notifications")).Content.ReadAsStringAsync();
        Assert.Contains($"Congratulations: you earned Fractions {tag}", page, StringComparison.Ordinal);
        Assert.Contains("Well done &amp; &lt;thank&gt; you.", page, StringComparison.Ordinal);
        Assert.DoesNotContain($"Ada Okafor earned Fractions {tag}", page, StringComparison.Ordinal);
        Assert.Contains("Notifications, 2 unread", page, StringComparison.Ordinal);
        Assert.True(page.IndexOf($"Fractions {tag}", StringComparison.Ordinal) < page.IndexOf($"Older notice {tag}", StringComparison.Ordinal), "Newest first.");
        Assert.Contains("Notifications, 2 unread", await (await ada.GetAsync("/app")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await ada.GetAsync("/app/notifications");
        Assert.Equal(HttpStatusCode.NotFound, (await ada.PostAsync("/app/notifications?handler=Read", new Dictionary<string, string> { ["notificationId"] = theirs.ToString() })).StatusCode);
        Assert.Null(await host.WithDbAsync(db => db.Notifications.Where(n => n.Id == theirs).Select(n => n.ReadAt).SingleAsync()));

        await ada.GetAsync("/app/notifications");
        await ada.FollowAsync(await ada.PostAsync("/app/notifications?handler=Read", new Dictionary<string, string> { ["notificationId"] = mine.ToString() }));
        Assert.Contains("Marked as read.", ada.LastPage, StringComparison.Ordinal);
        Assert.Contains("Notifications, 1 unread", ada.LastPage, StringComparison.Ordinal);
        await ada.FollowAsync(await ada.PostAsync("/app/notifications?handler=ReadAll", new Dictionary<string, string>()));
        Assert.Contains("Notifications, none unread", ada.LastPage, StringComparison.Ordinal);
        Assert.NotNull(await host.WithDbAsync(db => db.Notifications.Where(n => n.Id == older).Select(n => n.ReadAt).SingleAsync()));
        Assert.Null(await host.WithDbAsync(db => db.Notifications.Where(n => n.Id == theirs).Select(n => n.ReadAt).SingleAsync()));

        await ada.FollowAsync(await ada.PostAsync("/app/notifications?handler=Email", new Dictionary<string, string>()));
        Assert.Contains("You will no longer receive these notifications by email.", ada.LastPage, StringComparison.Ordinal);
        Assert.False(await host.WithDbAsync(db => db.NotificationPreferences.Where(p => p.PersonId == adaId).Select(p => p.EmailEnabled).SingleAsync()));
        Assert.Contains($"Ada Okafor earned Fractions {tag}", await (await dev.GetAsync("/app/notifications")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDigestPage_LetsADistrictAdminChooseWeekly_AndRefusesATeacher()
    {
        using var ada = await PageSession.LaunchAsync(host, "teacher-ada");
        using var dev = await PageSession.LaunchAsync(host, "admin-dev");
        Assert.Equal(HttpStatusCode.Forbidden, (await ada.GetAsync("/app/district/celebrations")).StatusCode);
        Assert.Contains("/app/district/celebrations", await (await dev.GetAsync("/app")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await dev.GetAsync("/app/district/celebrations");
        await dev.FollowAsync(await dev.PostAsync("/app/district/celebrations", new Dictionary<string, string> { ["frequency"] = "Weekly", ["day"] = "Friday", ["hour"] = "7" }));
        Assert.Contains("The digest setting is saved.", dev.LastPage, StringComparison.Ordinal);
        Assert.Contains("weekly, on Friday at 07:00 UTC", dev.LastPage, StringComparison.Ordinal);
        var tenantId = await host.WithDbAsync(db => db.People.Where(p => p.Name == "Dev Patel").Select(p => p.TenantId).SingleAsync());
        var saved = await host.WithDbAsync(db => db.DigestSettings.SingleAsync(s => s.TenantId == tenantId));
        Assert.Equal((DigestFrequency.Weekly, DayOfWeek.Friday, 7), (saved.Frequency, saved.Day, saved.Hour));

        await dev.GetAsync("/app/district/celebrations");
        var refused = await dev.PostAsync("/app/district/celebrations", new Dictionary<string, string> { ["frequency"] = "Daily", ["day"] = "Friday", ["hour"] = "30" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Choose an hour from 0 to 23.", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private Task<Guid> PersonAsync(string name) => host.WithDbAsync(db => db.People.Where(p => p.Name == name).Select(p => p.Id).SingleAsync());

    private Task<Guid> AddAsync(Guid recipientId, string title, string body, int minutes = 0) => host.WithDbAsync(async db =>
    {
        var tenantId = await db.People.Where(p => p.Id == recipientId).Select(p => p.TenantId).SingleAsync();
        var notification = new Notification
        {
            Id = Guid.NewGuid(), TenantId = tenantId, RecipientId = recipientId, Kind = NotificationKinds.AwardNotice, Title = title, Body = body,
            Link = "/app/ledger", CreatedAt = host.Clock.GetUtcNow().AddMinutes(minutes),
        };
        db.Notifications.Add(notification);
        await db.SaveChangesAsync();
        return notification.Id;
    });
}

public sealed class NotificationPagesTests_Sqlite(SqliteCelebrationsHost host) : NotificationPagesTests<SqliteCelebrationsHost>(host), IClassFixture<SqliteCelebrationsHost>;

public sealed class NotificationPagesTests_PostgreSql(PostgresCelebrationsHost host) : NotificationPagesTests<PostgresCelebrationsHost>(host), IClassFixture<PostgresCelebrationsHost>;
