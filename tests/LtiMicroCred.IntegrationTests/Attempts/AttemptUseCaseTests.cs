using System.Text;
using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.Evidence;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.People;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.IntegrationTests.Attempts;

/// <summary>The teacher's side of an attempt, through the real use cases on the real database.</summary>
public abstract class AttemptUseCaseTests<THost>(THost host) where THost : ToolHost
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task WholePath_SelectPlanApproveGatherSubmit_EndsSubmittedWithItsHistory()
    {
        var d = await TestDistrict.CreateAsync(host);
        var teacher = await d.ActorAsync(d.Teacher);

        var id = await StartAsync(teacher, d.Credential.Id);
        await PlanAsync(teacher, id);
        await Use<SubmitPlan>(u => u.HandleAsync(teacher, id, None));
        await Use<DecidePlan>(async u => await u.HandleAsync(await d.ActorAsync(d.Principal), id, PlanDecision.Approve, null, None));
        await Use<StartWork>(u => u.HandleAsync(teacher, id, None));
        await AddAllEvidenceAsync(teacher, id);
        await Use<SubmitForReview>(u => u.HandleAsync(teacher, id, None));

        var attempt = await Attempt(id);
        Assert.Equal(AttemptStatus.Submitted, attempt.Status);
        Assert.NotNull(attempt.SubmittedAt);
        Assert.Equal(d.North.Id, attempt.SchoolId);
        var history = await host.WithDbAsync(db => db.AttemptEvents.Where(e => e.AttemptId == id).OrderBy(e => e.Id).Select(e => e.To).ToListAsync());
        Assert.Equal([AttemptStatus.Selected, AttemptStatus.Planning, AttemptStatus.PlanSubmitted, AttemptStatus.PlanApproved, AttemptStatus.InProgress, AttemptStatus.Submitted], history);
        var reservation = await host.WithDbAsync(db => db.BudgetReservations.SingleAsync(r => r.AttemptId == id));
        Assert.Equal(4m, reservation.Amount);
        Assert.Equal(IncentiveKind.InServiceHours, reservation.Kind);
    }

    [Fact]
    public async Task IllegalTransitions_AreRefusedWithAReason()
    {
        var d = await TestDistrict.CreateAsync(host);
        var teacher = await d.ActorAsync(d.Teacher);
        var id = await StartAsync(teacher, d.Credential.Id);

        var early = await Assert.ThrowsAsync<RuleViolationException>(() => Use<SubmitForReview>(u => u.HandleAsync(teacher, id, None)));
        Assert.Contains("selected", early.Message, StringComparison.Ordinal);
        Assert.Contains("be submitted for review", early.Message, StringComparison.Ordinal);
        var approveUnsent = await Assert.ThrowsAsync<RuleViolationException>(async () =>
            await Use<DecidePlan>(async u => await u.HandleAsync(await d.ActorAsync(d.Principal), id, PlanDecision.Approve, null, None)));
        Assert.Contains("have its plan approved", approveUnsent.Message, StringComparison.Ordinal);
        var workBeforeApproval = await Assert.ThrowsAsync<RuleViolationException>(() => Use<StartWork>(u => u.HandleAsync(teacher, id, None)));
        Assert.Contains("approved before you gather evidence", workBeforeApproval.Message, StringComparison.Ordinal);
        Assert.Equal(AttemptStatus.Selected, (await Attempt(id)).Status);
    }

    [Fact]
    public async Task SecondAttempt_WhileOneIsOpen_IsRefused()
    {
        var d = await TestDistrict.CreateAsync(host);
        var teacher = await d.ActorAsync(d.Teacher);
        await StartAsync(teacher, d.Credential.Id);

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => StartAsync(teacher, d.Credential.Id));
        Assert.Contains("already have an attempt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanDecisions_BelongToThePrincipalOfTheSchoolOrTheDistrict()
    {
        var d = await TestDistrict.CreateAsync(host);
        var southTeacher = await d.ActorAsync(d.SouthTeacher);
        var id = await StartAsync(southTeacher, d.Credential.Id);
        await PlanAsync(southTeacher, id);
        await Use<SubmitPlan>(u => u.HandleAsync(southTeacher, id, None));

        // The principal of North does not lead South; the teacher cannot approve their own plan.
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Use<DecidePlan>(async u => await u.HandleAsync(await d.ActorAsync(d.Principal), id, PlanDecision.Approve, null, None)));
        await Assert.ThrowsAsync<ForbiddenException>(() => Use<DecidePlan>(u => u.HandleAsync(southTeacher, id, PlanDecision.Approve, null, None)));
        // Another district's administrator is told it does not exist.
        var other = await TestDistrict.CreateAsync(host);
        await Assert.ThrowsAsync<NotFoundException>(async () => await Use<DecidePlan>(async u => await u.HandleAsync(await other.ActorAsync(other.Admin), id, PlanDecision.Approve, null, None)));

        var admin = await d.ActorAsync(d.Admin);
        var noComment = await Assert.ThrowsAsync<InvalidInputException>(() => Use<DecidePlan>(u => u.HandleAsync(admin, id, PlanDecision.Return, " ", None)));
        Assert.True(noComment.Errors.ContainsKey("Comment"));
        await Use<DecidePlan>(u => u.HandleAsync(admin, id, PlanDecision.Return, "Add target dates for the video.", None));
        var returned = await Attempt(id);
        Assert.Equal(AttemptStatus.Planning, returned.Status);
        Assert.Equal("Add target dates for the video.", returned.PlanComment);
    }

    [Fact]
    public async Task Approval_BeyondTheBudget_IsRefused_AndAWithdrawalGivesItBack()
    {
        var d = await TestDistrict.CreateAsync(host);
        await host.WithDbAsync(async db =>
        {
            db.IncentiveBudgets.Add(new IncentiveBudget { Id = Guid.NewGuid(), TenantId = d.TenantId, Year = BudgetYear.Of(DateTimeOffset.UtcNow), Kind = IncentiveKind.InServiceHours, Amount = 6 });
            return await db.SaveChangesAsync();
        });
        var principal = await d.ActorAsync(d.Principal);
        var admin = await d.ActorAsync(d.Admin);
        var first = await PlannedAsync(await d.ActorAsync(d.Teacher), d.Credential.Id);
        var second = await PlannedAsync(await d.ActorAsync(d.SouthTeacher), d.Credential.Id);
        await Use<DecidePlan>(u => u.HandleAsync(principal, first, PlanDecision.Approve, null, None));

        var exhausted = await Assert.ThrowsAsync<RuleViolationException>(() => Use<DecidePlan>(u => u.HandleAsync(admin, second, PlanDecision.Approve, null, None)));
        Assert.Contains("budget for in-service hours is exhausted: 4 of 6", exhausted.Message, StringComparison.Ordinal);
        Assert.Equal(AttemptStatus.PlanSubmitted, (await Attempt(second)).Status);

        await Use<WithdrawAttempt>(async u => await u.HandleAsync(await d.ActorAsync(d.Teacher), first, None));
        await Use<DecidePlan>(u => u.HandleAsync(admin, second, PlanDecision.Approve, null, None));
        Assert.Equal(AttemptStatus.PlanApproved, (await Attempt(second)).Status);
        var open = await host.WithDbAsync(db => db.BudgetReservations.Where(r => r.TenantId == d.TenantId && r.ReleasedAt == null).Select(r => r.AttemptId).ToListAsync());
        Assert.Equal([second], open);
    }

    [Fact]
    public async Task ClosedWindow_RefusesSubmission_UntilThePrincipalExtendsIt()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var closed = DateTimeOffset.UtcNow.AddDays(-1);
        var (credential, _, _) = await d.AddCredentialAsync("closed", "Closed window", windowClosesAt: closed);
        var teacher = await d.ActorAsync(d.Teacher);
        var id = await StartAsync(teacher, credential.Id);
        await Use<StartWork>(u => u.HandleAsync(teacher, id, None));
        await AddAllEvidenceAsync(teacher, id);

        var late = await Assert.ThrowsAsync<RuleViolationException>(() => Use<SubmitForReview>(u => u.HandleAsync(teacher, id, None)));
        Assert.Contains("window closed", late.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ForbiddenException>(() => Use<GrantExtension>(u => u.HandleAsync(teacher, id, DateTimeOffset.UtcNow.AddDays(7), "Illness", None)));
        var principal = await d.ActorAsync(d.Principal);
        await Assert.ThrowsAsync<InvalidInputException>(() => Use<GrantExtension>(u => u.HandleAsync(principal, id, DateTimeOffset.UtcNow.AddDays(7), "", None)));

        await Use<GrantExtension>(u => u.HandleAsync(principal, id, DateTimeOffset.UtcNow.AddDays(7), "Two weeks of illness", None));
        await Use<SubmitForReview>(u => u.HandleAsync(teacher, id, None));
        Assert.Equal(AttemptStatus.Submitted, (await Attempt(id)).Status);
    }

    [Fact]
    public async Task SubmitForReview_SaysPreciselyWhatIsMissing()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var teacher = await d.ActorAsync(d.Teacher);
        var id = await StartAsync(teacher, d.Credential.Id);
        await Use<StartWork>(u => u.HandleAsync(teacher, id, None));
        await Use<AddDirectEvidence>(u => u.HandleAsync(teacher, id, new VideoEvidence("video", "Lesson", "https://video.example/v/1", 4), None));

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => Use<SubmitForReview>(u => u.HandleAsync(teacher, id, None)));
        Assert.Equal(
            "Not ready to submit: \"Work sample\" has no evidence yet. \"Lesson video\" needs a video of 7 to 10 minutes. \"Reflection\" needs your reflection.",
            error.Message);
    }

    [Fact]
    public async Task WithoutPlanApproval_WorkStartsAtOnce_AndSendingAPlanIsRefused()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var teacher = await d.ActorAsync(d.Teacher);
        var id = await StartAsync(teacher, d.Credential.Id);
        await PlanAsync(teacher, id);

        await Assert.ThrowsAsync<RuleViolationException>(() => Use<SubmitPlan>(u => u.HandleAsync(teacher, id, None)));
        await Use<StartWork>(u => u.HandleAsync(teacher, id, None));
        Assert.Equal(AttemptStatus.InProgress, (await Attempt(id)).Status);
    }

    [Fact]
    public async Task AnAttempt_KeepsTheVersionItStartedOn()
    {
        var d = await TestDistrict.CreateAsync(host);
        var teacher = await d.ActorAsync(d.Teacher);
        var id = await StartAsync(teacher, d.Credential.Id);
        var v2 = new CredentialVersion
        {
            Id = Guid.NewGuid(), CredentialId = d.Credential.Id, Number = 2, PublishedAt = DateTimeOffset.UtcNow,
            Definition = TestDistrict.Definition(new SubmissionCriterion { Key = "portfolio", Title = "Portfolio", Kind = EvidenceKind.Document }),
        };
        await host.WithDbAsync(async db =>
        {
            db.CredentialVersions.Add(v2);
            (await db.Credentials.SingleAsync(c => c.Id == d.Credential.Id)).CurrentVersionId = v2.Id;
            return await db.SaveChangesAsync();
        });

        var view = await host.WithServiceAsync<AttemptQueries, AttemptView>(q => q.DetailAsync(teacher, id, None));
        Assert.Equal(d.Version.Id, view.Attempt.CredentialVersionId);
        Assert.Equal(["sample", "video", "reflection"], view.Criteria.Select(c => c.Criterion.Key));
        // A new attempt by someone else starts on the new version.
        var other = await StartAsync(await d.ActorAsync(d.SouthTeacher), d.Credential.Id);
        Assert.Equal(v2.Id, (await Attempt(other)).CredentialVersionId);
    }

    [Fact]
    public async Task Credentials_OfAnotherDistrict_OrNotOfferedAtTheSchool_CannotBeStarted()
    {
        var d = await TestDistrict.CreateAsync(host);
        var other = await TestDistrict.CreateAsync(host);
        var (southOnly, _, _) = await d.AddCredentialAsync("south-only", "South only", schoolId: d.South.Id);

        await Assert.ThrowsAsync<NotFoundException>(async () => await StartAsync(await other.ActorAsync(other.Teacher), d.Credential.Id));
        await Assert.ThrowsAsync<NotFoundException>(async () => await StartAsync(await d.ActorAsync(d.Teacher), southOnly.Id));
        var id = await StartAsync(await d.ActorAsync(d.SouthTeacher), southOnly.Id);
        Assert.Equal(d.South.Id, (await Attempt(id)).SchoolId);
        await Assert.ThrowsAsync<ForbiddenException>(async () => await StartAsync(await d.ActorAsync(d.Admin), d.Credential.Id));
    }

    [Fact]
    public async Task Evidence_IsSeenByTheTeacherTheirPrincipalAndTheDistrict_AndNobodyElse()
    {
        var d = await TestDistrict.CreateAsync(host);
        var id = await StartAsync(await d.ActorAsync(d.Teacher), d.Credential.Id);
        var other = await TestDistrict.CreateAsync(host);

        foreach (var allowed in new[] { d.Teacher, d.Principal, d.Admin })
        {
            var view = await host.WithServiceAsync<AttemptQueries, AttemptView>(async q => await q.DetailAsync(await d.ActorAsync(allowed), id, None));
            Assert.Equal(id, view.Attempt.Id);
        }

        await Assert.ThrowsAsync<NotFoundException>(async () => await host.WithServiceAsync<AttemptQueries, AttemptView>(async q => await q.DetailAsync(await d.ActorAsync(d.SouthTeacher), id, None)));
        await Assert.ThrowsAsync<NotFoundException>(async () => await host.WithServiceAsync<AttemptQueries, AttemptView>(async q => await q.DetailAsync(await other.ActorAsync(other.Admin), id, None)));
    }

    [Fact]
    public async Task DirectEvidence_IsCheckedSanitizedCappedAndStoredOncePerContent()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var teacher = await d.ActorAsync(d.Teacher);
        var id = await StartAsync(teacher, d.Credential.Id);
        await Use<StartWork>(u => u.HandleAsync(teacher, id, None));

        await Assert.ThrowsAsync<InvalidInputException>(() => Use<AddDirectEvidence>(u => u.HandleAsync(teacher, id, new LinkEvidence("sample", "Drive", "javascript:alert(1)"), None)));
        await Assert.ThrowsAsync<InvalidInputException>(() => Use<AddDirectEvidence>(u => u.HandleAsync(teacher, id, new FileEvidence("sample", "", "run.exe", "application/x-msdownload", Bytes("MZ")), None)));
        await Assert.ThrowsAsync<InvalidInputException>(() => Use<AddDirectEvidence>(u => u.HandleAsync(teacher, id, new LinkEvidence("no-such-criterion", "Drive", "https://drive.example/x"), None)));
        var tooBig = await Assert.ThrowsAsync<InvalidInputException>(() => Use<AddDirectEvidence>(u => u.HandleAsync(teacher, id,
            new FileEvidence("sample", "", "big.pdf", "application/pdf", new MemoryStream(new byte[new EvidenceOptions().MaxUploadBytes + 1])), None)));
        Assert.Contains("larger than 50 MB", tooBig.Message, StringComparison.Ordinal);
        Assert.Equal(0, await host.WithDbAsync(db => db.StoredFiles.CountAsync(f => f.TenantId == d.TenantId)));

        var textId = await Use<AddDirectEvidence, Guid>(u => u.HandleAsync(teacher, id, new TextEvidence("sample", "Notes", "<p>Exit tickets <script>alert(1)</script><a href=\"javascript:x()\">here</a></p>"), None));
        var first = await Use<AddDirectEvidence, Guid>(u => u.HandleAsync(teacher, id, new FileEvidence("sample", "", "plan.pdf", "application/pdf", Bytes("%PDF-1.7 same")), None));
        var second = await Use<AddDirectEvidence, Guid>(u => u.HandleAsync(teacher, id, new FileEvidence("sample", "Copy", "copy.pdf", "application/pdf", Bytes("%PDF-1.7 same")), None));

        var text = await host.WithDbAsync(db => db.EvidenceItems.SingleAsync(e => e.Id == textId));
        Assert.Contains("Exit tickets", text.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("script", text.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript", text.Html, StringComparison.OrdinalIgnoreCase);
        var files = await host.WithDbAsync(db => db.StoredFiles.Where(f => f.TenantId == d.TenantId).ToListAsync());
        Assert.Equal(2, files.Count);
        Assert.Single(files.Select(f => f.StorageKey).Distinct());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes("%PDF-1.7 same"))), files[0].Sha256);
        Assert.Single(System.IO.Directory.GetFiles(Path.Combine(host.FileStoreRoot, d.TenantId.ToString("N")), "*", SearchOption.AllDirectories));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Resubmission_AfterNotYet_StartsANewAttemptWithTheHistoryKept()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var teacher = await d.ActorAsync(d.Teacher);
        var id = await StartAsync(teacher, d.Credential.Id);
        await Use<StartWork>(u => u.HandleAsync(teacher, id, None));
        await AddAllEvidenceAsync(teacher, id);
        await Use<SubmitForReview>(u => u.HandleAsync(teacher, id, None));
        // The decision itself belongs to the review issue; here the attempt is moved as a decision would move it.
        await host.WithServiceAsync<AttemptLifecycle, int>(async lifecycle =>
        {
            var admin = await d.ActorAsync(d.Admin);
            var attempt = await lifecycle.LedAsync(admin, id, None);
            lifecycle.Move(attempt, AttemptTrigger.DecideNotYet, admin, "The analysis needs student work samples.");
            await lifecycle.SaveAsync(None);
            return 0;
        });
        await Assert.ThrowsAsync<RuleViolationException>(() => StartAsync(teacher, d.Credential.Id));

        var next = await Use<ResubmitAttempt, Guid>(u => u.HandleAsync(teacher, id, None));

        var (old, fresh) = (await Attempt(id), await Attempt(next));
        Assert.Equal(AttemptStatus.Resubmitted, old.Status);
        Assert.Equal(AttemptStatus.InProgress, fresh.Status);
        Assert.Equal(2, fresh.Number);
        Assert.Equal(id, fresh.PreviousAttemptId);
        Assert.Equal(3, await host.WithDbAsync(db => db.EvidenceItems.CountAsync(e => e.AttemptId == next)));
        Assert.Equal(3, await host.WithDbAsync(db => db.EvidenceItems.CountAsync(e => e.AttemptId == id)));
    }

    [Fact]
    public async Task TwoPeopleActingOnOneAttemptAtOnce_TheSecondIsToldToReload()
    {
        var d = await TestDistrict.CreateAsync(host);
        var teacher = await d.ActorAsync(d.Teacher);
        var id = await PlannedAsync(teacher, d.Credential.Id);
        var principal = await d.ActorAsync(d.Principal);

        await using var scope1 = host.Services.CreateAsyncScope();
        await using var scope2 = host.Services.CreateAsyncScope();
        var lifecycle1 = scope1.ServiceProvider.GetRequiredService<AttemptLifecycle>();
        var lifecycle2 = scope2.ServiceProvider.GetRequiredService<AttemptLifecycle>();
        var seenBy1 = await lifecycle1.LedAsync(principal, id, None);
        var seenBy2 = await lifecycle2.OwnAsync(teacher, id, None);
        lifecycle2.Move(seenBy2, AttemptTrigger.Withdraw, teacher);
        await lifecycle2.SaveAsync(None);
        lifecycle1.Move(seenBy1, AttemptTrigger.ApprovePlan, principal);

        var error = await Assert.ThrowsAsync<RuleViolationException>(() => lifecycle1.SaveAsync(None));
        Assert.Contains("Reload", error.Message, StringComparison.Ordinal);
        Assert.Equal(AttemptStatus.Withdrawn, (await Attempt(id)).Status);
    }

    private static MemoryStream Bytes(string text) => new(Encoding.UTF8.GetBytes(text));

    private Task<Guid> StartAsync(Actor actor, Guid credentialId) => Use<StartAttempt, Guid>(u => u.HandleAsync(actor, credentialId, None));

    private Task PlanAsync(Actor teacher, Guid id) => Use<SavePlan>(u => u.HandleAsync(teacher, id, new AttemptPlan
    {
        Alignment = "Our school goal is data-driven instruction in grade 4 maths.",
        Steps = [new PlanStep("Give the common assessment", DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)))],
    }, None));

    private async Task<Guid> PlannedAsync(Actor teacher, Guid credentialId)
    {
        var id = await StartAsync(teacher, credentialId);
        await PlanAsync(teacher, id);
        await Use<SubmitPlan>(u => u.HandleAsync(teacher, id, None));
        return id;
    }

    private async Task AddAllEvidenceAsync(Actor teacher, Guid id)
    {
        await Use<AddDirectEvidence>(u => u.HandleAsync(teacher, id, new FileEvidence("sample", "", "sample.pdf", "application/pdf", Bytes("%PDF-1.7 " + id)), None));
        await Use<AddDirectEvidence>(u => u.HandleAsync(teacher, id, new VideoEvidence("video", "Lesson", "https://video.example/v/1", 8), None));
        await Use<SaveReflection>(u => u.HandleAsync(teacher, id, "reflection", "<p>What I learned.</p>", None));
        await Use<AddDirectEvidence>(u => u.HandleAsync(teacher, id, new TextEvidence("reflection", "Student voices", "<p>Students said...</p>"), None));
    }

    private Task<Attempt> Attempt(Guid id) => host.WithDbAsync(db => db.Attempts.AsNoTracking().SingleAsync(a => a.Id == id));

    private Task Use<T>(Func<T, Task> action) where T : notnull => host.WithServiceAsync<T, int>(async u =>
    {
        await action(u);
        return 0;
    });

    private Task<TResult> Use<T, TResult>(Func<T, Task<TResult>> action) where T : notnull => host.WithServiceAsync(action);
}

public sealed class AttemptUseCaseTests_Sqlite(SqliteToolHost host) : AttemptUseCaseTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class AttemptUseCaseTests_PostgreSql(PostgresToolHost host) : AttemptUseCaseTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
