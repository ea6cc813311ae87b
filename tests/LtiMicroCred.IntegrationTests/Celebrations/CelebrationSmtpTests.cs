using LtiMicroCred.Catalog;
using LtiMicroCred.Celebrations;
using LtiMicroCred.Decisions;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Outbox;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.Celebrations;

/// <summary>
/// Email over SMTP with MailKit, to a receiver started by the test on a dynamic port: authenticated, one message per
/// recipient with the outbox-derived Message-Id; a refused recipient is retried by the outbox; the password never logged.
/// </summary>
public abstract class CelebrationSmtpTests<THost>(THost host) where THost : CelebrationsHost
{
    [Fact]
    public async Task AnAward_IsMailedThroughSmtp_SignedIn_ToEachRecipient_WithTheOutboxMessageId_AndThePasswordIsNeverLogged()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var smtp = host.Smtp!;
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        await SetEmailsAsync(d);

        await AwardAsync(d);

        var messages = await host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.TenantId == d.TenantId && m.Kind == NotificationWriter.EmailKind).ToListAsync());
        Assert.Equal(3, messages.Count);
        foreach (var message in messages)
        {
            await host.DoneAsync(message.Id);
        }

        var ids = messages.Select(m => EmailOutboxHandler.MessageIdFor(m.EventId)).ToHashSet();
        var received = smtp.Received.Select(r => (Mail: r, Mime: MimeMessage.Load(new MemoryStream(System.Text.Encoding.Latin1.GetBytes(r.Data)))))
            .Where(r => ids.Contains(r.Mime.MessageId ?? string.Empty)).ToList();
        Assert.Equal(3, received.Count);
        Assert.All(received, r =>
        {
            Assert.Equal(TestSmtpReceiver.User, r.Mail.AuthUser);
            Assert.Equal("microcredentials@district.example", r.Mail.MailFrom);
            Assert.Equal(r.Mime.To.Mailboxes.Single().Address, Assert.Single(r.Mail.Recipients));
            Assert.NotNull(r.Mime.HtmlBody);
        });
        Assert.Equal(["ada@north.example", "carla@north.example", "dev@district.example"], received.Select(r => r.Mail.Recipients[0]).Order());
        Assert.DoesNotContain(host.Logs.Lines, l => l.Message.Contains(TestSmtpReceiver.Password, StringComparison.Ordinal)
            || l.Message.Contains("ada@north.example", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARecipientTheServerRefuses_LeavesTheEmailPendingWithTheAnswer_AndTheNextSendDeliversIt()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var smtp = host.Smtp!;
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        await host.WithDbAsync(async db =>
        {
            (await db.People.SingleAsync(p => p.Id == d.Teacher.Id)).Email = "ada@north.example";
            return await db.SaveChangesAsync();
        });
        await Use<SetEmailPreference>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Teacher), true, None));
        smtp.RefuseNextRecipient = "550 5.1.1 Mailbox unavailable";
        try
        {
            await AwardAsync(d);
            var message = await host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.TenantId == d.TenantId && m.Kind == NotificationWriter.EmailKind));
            var deadline = DateTime.UtcNow.AddSeconds(60);
            OutboxMessage failed;
            while ((failed = await host.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == message.Id))) is not { Attempts: 1, ClaimedBy: null })
            {
                Assert.True(DateTime.UtcNow < deadline, "The refused email was not tried.");
                await Task.Yield();
            }

            Assert.Equal(OutboxStatus.Pending, failed.Status);
            Assert.Equal("The mail server answered 550 (RecipientNotAccepted).", failed.LastError);

            host.Clock.MoveTo(failed.DueAt.AddSeconds(1));
            await host.WithServiceAsync<SendOutboxMessageJob, int>(async job =>
            {
                await job.RunAsync(message.Id, None);
                return 0;
            });
            Assert.Equal(OutboxStatus.Done, (await host.DoneAsync(message.Id)).Status);
            Assert.Contains(smtp.Received, r => r.Data.Contains(EmailOutboxHandler.MessageIdFor(message.EventId), StringComparison.Ordinal));
        }
        finally
        {
            smtp.RefuseNextRecipient = null;
            host.Clock.Offset = TimeSpan.Zero;
        }
    }

    private Task SetEmailsAsync(TestDistrict d) => host.WithDbAsync(async db =>
    {
        (await db.People.SingleAsync(p => p.Id == d.Teacher.Id)).Email = "ada@north.example";
        (await db.People.SingleAsync(p => p.Id == d.Principal.Id)).Email = "carla@north.example";
        (await db.People.SingleAsync(p => p.Id == d.Admin.Id)).Email = "dev@district.example";
        return await db.SaveChangesAsync();
    });

    private async Task AwardAsync(TestDistrict d)
    {
        var id = await SubmittedAsync(host, await d.ActorAsync(d.Teacher), d.Credential.Id);
        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None));
    }
}

public sealed class CelebrationSmtpTests_Sqlite(SqliteSmtpCelebrationsHost host) : CelebrationSmtpTests<SqliteSmtpCelebrationsHost>(host), IClassFixture<SqliteSmtpCelebrationsHost>;

public sealed class CelebrationSmtpTests_PostgreSql(PostgresSmtpCelebrationsHost host) : CelebrationSmtpTests<PostgresSmtpCelebrationsHost>(host), IClassFixture<PostgresSmtpCelebrationsHost>;
