using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.Evidence;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.People;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.Decisions;

/// <summary>Award / not yet, resubmission history, extension requests, pathway committees and the audit log, on the real database.</summary>
public abstract class DecisionUseCaseTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task Award_RecordsVersionResultsDeciderAndIncentive_CancelsOpenReviews_AndIsFinal()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var id = await SubmittedAsync(host, await d.ActorAsync(d.Teacher), d.Credential.Id);
        await AddReviewAsync(host, d.TenantId, id, d.SouthTeacher.Id, ReviewStatus.Submitted, 2, "Clear analysis");
        var open = await AddReviewAsync(host, d.TenantId, id, d.Admin.Id, ReviewStatus.Allocated, null);
        var principal = await d.ActorAsync(d.Principal);

        await Use<DecideAttempt>(host, u => u.HandleAsync(principal, id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), "Well done."), None));

        var decision = await host.WithDbAsync(db => db.AttemptDecisions.SingleAsync(x => x.AttemptId == id));
        Assert.Equal(DecisionOutcome.Awarded, decision.Outcome);
        Assert.Equal(d.Version.Id, decision.CredentialVersionId);
        Assert.Equal(d.Principal.Id, decision.DecidedBy);
        Assert.Equal([new CriterionResult("analysis", 2, null)], decision.Results);
        Assert.Equal(new Incentive(IncentiveKind.InServiceHours, 4), decision.Incentive);
        Assert.Null(decision.PostedAt);
        Assert.Equal(AttemptStatus.Awarded, (await host.WithDbAsync(db => db.Attempts.SingleAsync(a => a.Id == id))).Status);
        Assert.Equal(ReviewStatus.Cancelled, (await host.WithDbAsync(db => db.ReviewAssignments.SingleAsync(r => r.Id == open))).Status);
        var audit = await host.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.SubjectId == id && e.Action == "attempt.awarded"));
        Assert.Equal(d.Principal.Id, audit.ActorId);

        var again = await Assert.ThrowsAsync<RuleViolationException>(async () => await Use<DecideAttempt>(host, async u =>
            await u.HandleAsync(await d.ActorAsync(d.Admin), id, new DecisionInput(DecisionOutcome.NotYet, Levels(0), Feedback("More"), null), None)));
        Assert.Contains("already been decided", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Award_BelowThePassingRule_AndNotYet_WithoutFeedbackWhereItFallsShort_AreRefused()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var id = await SubmittedAsync(host, await d.ActorAsync(d.Teacher), d.Credential.Id);
        var principal = await d.ActorAsync(d.Principal);

        var below = await Assert.ThrowsAsync<InvalidInputException>(() => Use<DecideAttempt>(host, u => u.HandleAsync(principal, id, new DecisionInput(DecisionOutcome.Awarded, Levels(1), Feedback(null), null), None)));
        Assert.Contains("do not meet the rubric", below.Errors["outcome"], StringComparison.Ordinal);
        var noFeedback = await Assert.ThrowsAsync<InvalidInputException>(() => Use<DecideAttempt>(host, u => u.HandleAsync(principal, id, new DecisionInput(DecisionOutcome.NotYet, Levels(1), Feedback(" "), null), None)));
        Assert.True(noFeedback.Errors.ContainsKey("feedback-analysis"));
        var noLevel = await Assert.ThrowsAsync<InvalidInputException>(() => Use<DecideAttempt>(host, u => u.HandleAsync(principal, id, new DecisionInput(DecisionOutcome.Awarded, new Dictionary<string, int?>(), Feedback(null), null), None)));
        Assert.True(noLevel.Errors.ContainsKey("level-analysis"));
        Assert.False(await host.WithDbAsync(db => db.AttemptDecisions.AnyAsync(x => x.AttemptId == id)));
        Assert.Equal(AttemptStatus.Submitted, (await host.WithDbAsync(db => db.Attempts.SingleAsync(a => a.Id == id))).Status);
    }

    [Fact]
    public async Task TwoDecidersAtOnce_ExactlyOneWins()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var id = await SubmittedAsync(host, await d.ActorAsync(d.Teacher), d.Credential.Id);
        var principal = await d.ActorAsync(d.Principal);
        var admin = await d.ActorAsync(d.Admin);

        await using var one = host.Services.CreateAsyncScope();
        await using var two = host.Services.CreateAsyncScope();
        var results = await Task.WhenAll(
            Outcome(() => one.ServiceProvider.GetRequiredService<DecideAttempt>().HandleAsync(principal, id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None)),
            Outcome(() => two.ServiceProvider.GetRequiredService<DecideAttempt>().HandleAsync(admin, id, new DecisionInput(DecisionOutcome.NotYet, Levels(1), Feedback("Add student work."), null), None)));

        Assert.Single(results, r => r is null);
        Assert.Single(results, r => r is RuleViolationException);
        var decision = await host.WithDbAsync(db => db.AttemptDecisions.SingleAsync(x => x.AttemptId == id));
        var status = (await host.WithDbAsync(db => db.Attempts.SingleAsync(a => a.Id == id))).Status;
        Assert.Equal(decision.Outcome == DecisionOutcome.Awarded ? AttemptStatus.Awarded : AttemptStatus.NotYet, status);
    }

    [Fact]
    public async Task NotYetTwice_ThenResubmission_TheThirdRoundShowsBothEarlierRoundsAndReusesEvidence()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var teacher = await d.ActorAsync(d.Teacher);
        var principal = await d.ActorAsync(d.Principal);
        var first = await SubmittedAsync(host, teacher, d.Credential.Id);
        await AddReviewAsync(host, d.TenantId, first, d.SouthTeacher.Id, ReviewStatus.Submitted, 1, "The analysis stops at the averages.");
        await Use<DecideAttempt>(host, u => u.HandleAsync(principal, first, new DecisionInput(DecisionOutcome.NotYet, Levels(1), Feedback("Analyse each student group."), "A good start."), None));

        var second = await host.WithServiceAsync<ResubmitAttempt, Guid>(u => u.HandleAsync(teacher, first, None));
        // The teacher replaces the work sample and keeps the rest.
        var oldSample = await host.WithDbAsync(db => db.EvidenceItems.Where(e => e.AttemptId == second && e.CriterionKey == "sample").Select(e => e.Id).SingleAsync());
        await Use<RemoveEvidence>(host, u => u.HandleAsync(teacher, oldSample, None));
        await Use<AddDirectEvidence>(host, u => u.HandleAsync(teacher, second, new LinkEvidence("sample", "Grouped analysis", "https://drive.example/grouped"), None));
        await Use<SubmitForReview>(host, u => u.HandleAsync(teacher, second, None));
        await Use<DecideAttempt>(host, u => u.HandleAsync(principal, second, new DecisionInput(DecisionOutcome.NotYet, Levels(1), Feedback("Name the re-teaching for each group."), null), None));
        var third = await host.WithServiceAsync<ResubmitAttempt, Guid>(u => u.HandleAsync(teacher, second, None));

        var view = await host.WithServiceAsync<DecisionQueries, AttemptOutcomeView>(q => q.OutcomeAsync(teacher, third, None));
        Assert.Null(view.Decision);
        Assert.Equal([2, 1], view.EarlierRounds.Select(r => r.Number));
        Assert.Equal("Name the re-teaching for each group.", view.EarlierRounds[0].Decision!.Results.Single().Feedback);
        Assert.Equal("Analyse each student group.", view.EarlierRounds[1].Decision!.Results.Single().Feedback);
        Assert.Equal("A good start.", view.EarlierRounds[1].Decision!.OverallFeedback);
        Assert.Equal("The analysis stops at the averages.", view.EarlierRounds[1].Reviews.Single().FeedbackOn("analysis"));
        Assert.Equal("Reviewer 1", view.EarlierRounds[1].Reviews.Single().ReviewerLabel);
        Assert.Contains("Exit tickets", view.EarlierRounds[1].EvidenceTitles);
        Assert.Contains("Grouped analysis", view.EarlierRounds[0].EvidenceTitles);
        Assert.DoesNotContain("Exit tickets", view.EarlierRounds[0].EvidenceTitles);
        var evidence = await host.WithDbAsync(db => db.EvidenceItems.Where(e => e.AttemptId == third).Select(e => e.Title).ToListAsync());
        Assert.Equal(["Grouped analysis", "Lesson"], evidence.Order(StringComparer.Ordinal));
        // The reservation (none here) and the attempt chain: each earlier round is closed as resubmitted.
        Assert.Equal(3, (await host.WithDbAsync(db => db.Attempts.SingleAsync(a => a.Id == third))).Number);
        Assert.Equal(2, await host.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.TenantId == d.TenantId && e.Action == "attempt.not-yet")));
    }

    [Fact]
    public async Task Decisions_BelongToThePrincipalOfTheSchoolOrTheDistrict_NeverATeacher_NeverAnotherTenant()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var south = await SubmittedAsync(host, await d.ActorAsync(d.SouthTeacher), d.Credential.Id);
        var other = await TestDistrict.CreateAsync(host);
        var input = new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null);

        await Assert.ThrowsAsync<ForbiddenException>(async () => await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), south, input, None)));
        await Assert.ThrowsAsync<ForbiddenException>(async () => await host.WithServiceAsync<DecisionQueries, DecisionView>(async q => await q.ForDecisionAsync(await d.ActorAsync(d.Principal), south, None)));
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.SouthTeacher), south, input, None)));
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Teacher), south, input, None)));
        await Assert.ThrowsAsync<NotFoundException>(async () => await Use<DecideAttempt>(host, async u => await u.HandleAsync(await other.ActorAsync(other.Admin), south, input, None)));
        await Assert.ThrowsAsync<NotFoundException>(async () => await host.WithServiceAsync<DecisionQueries, DecisionView>(async q => await q.ForDecisionAsync(await other.ActorAsync(other.Admin), south, None)));

        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Admin), south, input, None));
        Assert.Equal(AttemptStatus.Awarded, (await host.WithDbAsync(db => db.Attempts.SingleAsync(a => a.Id == south))).Status);
    }

    [Fact]
    public async Task TheQueue_ShowsAPrincipalTheirSchoolsOnly_TheDistrictEverySchool_AndNoOneAnotherTenant()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var north = await SubmittedAsync(host, await d.ActorAsync(d.Teacher), d.Credential.Id);
        var south = await SubmittedAsync(host, await d.ActorAsync(d.SouthTeacher), d.Credential.Id);
        await host.WithDbAsync(async db =>
        {
            (await db.Attempts.SingleAsync(a => a.Id == north)).ReviewsConflict = true;
            return await db.SaveChangesAsync();
        });
        var late = await AddReviewAsync(host, d.TenantId, north, d.SouthTeacher.Id, ReviewStatus.Draft, 1, dueAt: DateTimeOffset.UtcNow.AddDays(-3).AddHours(-1));
        var lessLate = await AddReviewAsync(host, d.TenantId, south, d.Teacher.Id, ReviewStatus.Allocated, null, dueAt: DateTimeOffset.UtcNow.AddDays(-1).AddHours(-1));
        var other = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        await SubmittedAsync(host, await other.ActorAsync(other.Teacher), other.Credential.Id);

        var principal = await Queue(await d.ActorAsync(d.Principal), null);
        Assert.Equal([north], principal.Ready.Items.Select(r => r.AttemptId));
        Assert.True(principal.Ready.Items.Single().ReviewsConflict);
        Assert.Equal([late], principal.Overdue.Items.Select(r => r.ReviewId));
        Assert.Equal("3 days overdue", Waiting.Overdue(principal.Overdue.Items.Single().DueAt, principal.Now));
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Queue(await d.ActorAsync(d.Principal), d.South.Id));

        var admin = await Queue(await d.ActorAsync(d.Admin), null);
        Assert.Equal([north, south], admin.Ready.Items.Select(r => r.AttemptId));
        Assert.Equal(2, admin.Overdue.Total);
        // A draft and an untouched review, read separately for the whole district, come back as one list, latest first.
        Assert.Equal([late, lessLate], admin.Overdue.Items.Select(r => r.ReviewId));
        Assert.Equal([south], (await Queue(await d.ActorAsync(d.Admin), d.South.Id)).Ready.Items.Select(r => r.AttemptId));
        Assert.Equal(0, (await Queue(await other.ActorAsync(other.Admin), null)).Overdue.Total);
        Assert.DoesNotContain((await Queue(await other.ActorAsync(other.Admin), null)).Ready.Items, r => r.AttemptId == north || r.AttemptId == south);
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Queue(await d.ActorAsync(d.Teacher), null));
    }

    [Fact]
    public async Task ExtensionRequest_IsShownToThePrincipal_GrantedThroughGrantExtension_AndAudited()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var teacher = await d.ActorAsync(d.Teacher);
        var principal = await d.ActorAsync(d.Principal);
        var id = await host.WithServiceAsync<StartAttempt, Guid>(u => u.HandleAsync(teacher, d.Credential.Id, None));
        var wanted = DateTimeOffset.UtcNow.AddDays(30);

        await Assert.ThrowsAsync<InvalidInputException>(() => host.WithServiceAsync<RequestExtension, Guid>(u => u.HandleAsync(teacher, id, wanted, " ", None)));
        var requestId = await host.WithServiceAsync<RequestExtension, Guid>(u => u.HandleAsync(teacher, id, wanted, "Two weeks of illness", None));
        await Assert.ThrowsAsync<RuleViolationException>(() => host.WithServiceAsync<RequestExtension, Guid>(u => u.HandleAsync(teacher, id, wanted, "Again", None)));
        var queued = (await Queue(principal, null)).Extensions.Items.Single();
        Assert.Equal((requestId, "Two weeks of illness"), (queued.RequestId, queued.Reason));
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Use<AnswerExtensionRequest>(host, async u => await u.HandleAsync(await d.ActorAsync(d.SouthTeacher), requestId, true, null, None)));
        await Assert.ThrowsAsync<InvalidInputException>(() => Use<AnswerExtensionRequest>(host, u => u.HandleAsync(principal, requestId, false, null, None)));

        await Use<AnswerExtensionRequest>(host, u => u.HandleAsync(principal, requestId, true, null, None));

        var attempt = await host.WithDbAsync(db => db.Attempts.SingleAsync(a => a.Id == id));
        Assert.Equal(wanted, attempt.ExtendedDueAt!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal("Two weeks of illness", attempt.ExtensionReason);
        Assert.Equal(ExtensionRequestStatus.Granted, (await host.WithDbAsync(db => db.ExtensionRequests.SingleAsync(r => r.Id == requestId))).Status);
        Assert.Empty((await Queue(principal, null)).Extensions.Items);
        var actions = await host.WithDbAsync(db => db.AuditEntries.Where(e => e.SubjectId == id).Select(e => e.Action).ToListAsync());
        Assert.Equal(["extension.granted", "extension.requested"], actions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task PathwayReview_CompletesWhenTheWholeCommitteeAgrees_AndANotYetLetsTheTeacherAskAgain()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var teacher = await d.ActorAsync(d.Teacher);
        var (second, _, _) = await d.AddCredentialAsync("cfa", "Common formative assessment");
        var pathway = await AddPathwayAsync(host, d, minimumCount: 1, committeeSize: 3, prerequisite: d.Credential.Id, second.Id);
        var admin2 = await AddPersonAsync(host, d, "Eve Admin", null, ProductRoles.DistrictAdmin);
        var southPrincipal = await AddPersonAsync(host, d, "Sam South", d.South.Id, ProductRoles.Principal);

        // Not eligible until the prerequisite and the minimum count are held.
        var early = await Assert.ThrowsAsync<RuleViolationException>(() => host.WithServiceAsync<RequestPathwayReview, Guid>(u => u.HandleAsync(teacher, pathway.Key, None)));
        Assert.Contains("prerequisite", early.Message, StringComparison.Ordinal);
        foreach (var credential in new[] { d.Credential.Id, second.Id })
        {
            var id = await SubmittedAsync(host, teacher, credential);
            await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None));
        }

        var first = await host.WithServiceAsync<RequestPathwayReview, Guid>(u => u.HandleAsync(teacher, pathway.Key, None));
        // The principal of another school is not on this teacher's committee; the teacher cannot vote on their own.
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Vote(await d.ActorAsync(southPrincipal), first, PathwayVoteOutcome.Award));
        await Assert.ThrowsAsync<ForbiddenException>(() => Vote(teacher, first, PathwayVoteOutcome.Award));
        Assert.Equal(PathwayReviewStatus.Open, await Vote(await d.ActorAsync(d.Principal), first, PathwayVoteOutcome.Award));
        await Assert.ThrowsAsync<RuleViolationException>(async () => await Vote(await d.ActorAsync(d.Principal), first, PathwayVoteOutcome.Award));
        Assert.Equal(PathwayReviewStatus.Open, await Vote(await d.ActorAsync(d.Admin), first, PathwayVoteOutcome.Award));
        Assert.Single((await Queue(await d.ActorAsync(d.Principal), null)).Pathways.Items);
        Assert.Equal(PathwayReviewStatus.NotYet, await Vote(await d.ActorAsync(admin2), first, PathwayVoteOutcome.NotYet, "Show the coaching cycle you led."));

        var again = await host.WithServiceAsync<RequestPathwayReview, Guid>(u => u.HandleAsync(teacher, pathway.Key, None));
        await Assert.ThrowsAsync<RuleViolationException>(() => host.WithServiceAsync<RequestPathwayReview, Guid>(u => u.HandleAsync(teacher, pathway.Key, None)));
        Assert.Equal(PathwayReviewStatus.Open, await Vote(await d.ActorAsync(d.Principal), again, PathwayVoteOutcome.Award));
        Assert.Equal(PathwayReviewStatus.Open, await Vote(await d.ActorAsync(d.Admin), again, PathwayVoteOutcome.Award));
        Assert.Equal(PathwayReviewStatus.Completed, await Vote(await d.ActorAsync(admin2), again, PathwayVoteOutcome.Award));
        var closed = await Assert.ThrowsAsync<RuleViolationException>(async () => await Vote(await d.ActorAsync(await AddPersonAsync(host, d, "Fay Admin", null, ProductRoles.DistrictAdmin)), again, PathwayVoteOutcome.Award));
        Assert.Contains("already closed", closed.Message, StringComparison.Ordinal);

        var progress = await host.WithServiceAsync<PathwayQueries, PathwayProgressView>(q => q.MineAsync(teacher, pathway.Key, None));
        Assert.Equal([PathwayReviewStatus.NotYet, PathwayReviewStatus.Completed], progress.Reviews.Select(r => r.Status));
        Assert.Equal("Show the coaching cycle you led.", progress.Reviews[0].Votes.Single(v => v.Outcome == PathwayVoteOutcome.NotYet).Feedback);
        Assert.Empty((await Queue(await d.ActorAsync(d.Principal), null)).Pathways.Items);
        Assert.Equal(6, await host.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.TenantId == d.TenantId && e.Action.StartsWith("pathway-review.voted"))));
        var other = await TestDistrict.CreateAsync(host);
        await Assert.ThrowsAsync<NotFoundException>(async () => await host.WithServiceAsync<PathwayQueries, PathwayReviewView>(async q => await q.ReviewAsync(await other.ActorAsync(other.Admin), again, None)));
    }

    [Fact]
    public async Task TheAuditLog_RecordsPlanDecisions_AndIsReadByDistrictAdminsOnly_WithFilters()
    {
        var d = await TestDistrict.CreateAsync(host);
        var teacher = await d.ActorAsync(d.Teacher);
        var id = await host.WithServiceAsync<StartAttempt, Guid>(u => u.HandleAsync(teacher, d.Credential.Id, None));
        await Use<SavePlan>(host, u => u.HandleAsync(teacher, id, new AttemptPlan { Alignment = "Goals.", Steps = [new PlanStep("Assess", DateOnly.FromDateTime(DateTime.UtcNow.AddDays(9)))] }, None));
        await Use<SubmitPlan>(host, u => u.HandleAsync(teacher, id, None));
        await Use<DecidePlan>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), id, PlanDecision.Return, "Add a date for the video.", None));
        await Use<SubmitPlan>(host, u => u.HandleAsync(teacher, id, None));
        await Use<DecidePlan>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Admin), id, PlanDecision.Approve, null, None));
        var admin = await d.ActorAsync(d.Admin);

        var all = await Audit(admin, new AuditFilter());
        Assert.Equal(["plan.approved", "plan.returned"], all.Rows.Select(r => r.Action));
        Assert.Equal(["Dev Admin", "Carla Principal"], all.Rows.Select(r => r.ActorName));
        Assert.Equal(["plan.returned"], (await Audit(admin, new AuditFilter(Person: "carla"))).Rows.Select(r => r.Action));
        Assert.Equal(["plan.approved"], (await Audit(admin, new AuditFilter(Action: "plan.approved", SubjectType: "attempt", SubjectId: id))).Rows.Select(r => r.Action));
        Assert.Empty((await Audit(admin, new AuditFilter(To: DateOnly.FromDateTime(DateTime.UtcNow.AddDays(-1))))).Rows);
        Assert.Equal(2, (await Audit(admin, new AuditFilter(From: DateOnly.FromDateTime(DateTime.UtcNow)))).Rows.Count);
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Audit(await d.ActorAsync(d.Principal), new AuditFilter()));
        var other = await TestDistrict.CreateAsync(host);
        Assert.Empty((await Audit(await other.ActorAsync(other.Admin), new AuditFilter())).Rows);
    }

    private Task<AuditPage> Audit(Access.Actor actor, AuditFilter filter) => host.WithServiceAsync<AuditQueries, AuditPage>(q => q.SearchAsync(actor, filter, None));

    private Task<QueueView> Queue(Access.Actor actor, Guid? school) => host.WithServiceAsync<PrincipalQueue, QueueView>(q => q.LoadAsync(actor, school, null, None));

    private Task<PathwayReviewStatus> Vote(Access.Actor actor, Guid review, PathwayVoteOutcome outcome, string? feedback = null) =>
        host.WithServiceAsync<VotePathwayReview, PathwayReviewStatus>(u => u.HandleAsync(actor, review, outcome, feedback, None));

    private static async Task<Exception?> Outcome(Func<Task> action)
    {
        try
        {
            await action();
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}

public sealed class DecisionUseCaseTests_Sqlite(SqliteToolHost host) : DecisionUseCaseTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class DecisionUseCaseTests_PostgreSql(PostgresToolHost host) : DecisionUseCaseTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
