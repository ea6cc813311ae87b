using LtiMicroCred.Attempts;
using LtiMicroCred.Evidence;
using LtiMicroCred.People;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Reviews;

/// <summary>The reviewer's work (draft, submit), conflicting reviews, reallocation, conflicts of interest and who may open what.</summary>
public abstract class ReviewWorkTests<THost>(THost host) where THost : ReviewHost
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Draft_ThenSubmit_RequiresEveryLevel_AndComputesTheOutcome()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 1);
        var id = await s.SubmitAsync(s.District.Teacher);
        var review = Assert.Single(await s.ReviewsAsync(id));
        var reviewer = await s.ActorAsync(review.ReviewerId);

        await s.Run<SaveReviewDraft>(u => u.HandleAsync(reviewer, review.Id, ReviewScenario.Input(2, null, "Half done"), None));
        var draft = Assert.Single(await s.ReviewsAsync(id));
        Assert.Equal(ReviewStatus.Draft, draft.Status);
        Assert.Equal([2, null], draft.Scores.Select(x => x.Level));
        Assert.Equal("Half done", draft.OverallFeedback);
        Assert.NotNull(draft.SavedAt);

        var missing = await Assert.ThrowsAsync<InvalidInputException>(() => s.Run<SubmitReview>(u => u.HandleAsync(reviewer, review.Id, ReviewScenario.Input(2, null), None)));
        Assert.Equal(["level-action"], missing.Errors.Keys);
        var outOfRange = await Assert.ThrowsAsync<InvalidInputException>(() => s.Run<SaveReviewDraft>(u => u.HandleAsync(reviewer, review.Id, ReviewScenario.Input(2, 7), None)));
        Assert.True(outOfRange.Errors.ContainsKey("level-action"));

        await s.SubmitReviewAsync(review, 2, 0);
        var submitted = Assert.Single(await s.ReviewsAsync(id));
        Assert.Equal(ReviewStatus.Submitted, submitted.Status);
        Assert.Equal(ReviewOutcome.NotYet, submitted.Outcome);
        var attempt = await s.AttemptAsync(id);
        Assert.NotNull(attempt.ReadyForDecisionAt);
        Assert.False(attempt.ReviewsConflict);
        // A submitted review is read-only.
        await Assert.ThrowsAsync<RuleViolationException>(() => s.Run<SaveReviewDraft>(u => u.HandleAsync(reviewer, review.Id, ReviewScenario.Input(3, 3), None)));
    }

    [Theory]
    [InlineData(1, 3, 2, 2, false)] // one level apart at most, both meet the standard
    [InlineData(1, 1, 3, 1, true)] // two levels apart on analysis
    [InlineData(0, 2, 1, 2, true)] // one apart, but "not yet" against "meets the standard"
    public async Task LastRequiredReview_MakesTheAttemptReady_AndFlagsConflicts(int a1, int a2, int b1, int b2, bool conflict)
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 2);
        await s.AddPersonAsync("Fay Colleague", s.District.North);
        var id = await s.SubmitAsync(s.District.Teacher);
        var reviews = await s.ReviewsAsync(id);

        await s.SubmitReviewAsync(reviews[0], a1, a2);
        Assert.Null((await s.AttemptAsync(id)).ReadyForDecisionAt);
        await s.SubmitReviewAsync(reviews[1], b1, b2);

        var attempt = await s.AttemptAsync(id);
        Assert.Equal(host.Clock.GetUtcNow().Date, attempt.ReadyForDecisionAt!.Value.Date);
        Assert.Equal(conflict, attempt.ReviewsConflict);
        var comparison = await host.WithServiceAsync<ReviewQueries, ReviewComparison>(async q => await q.ComparisonAsync(await s.District.ActorAsync(s.District.Principal), id, None));
        Assert.Equal(2, comparison.Reviewers.Count);
        Assert.Equal(conflict, comparison.Conflict);
        var analysis = comparison.Criteria.Single(c => c.Key == "analysis");
        Assert.Equal(Math.Abs(a1 - b1) > 1, analysis.Differs);
        Assert.Equal(["On analysis: " + a1, "On analysis: " + b1], analysis.Scores.Select(x => x.Feedback));
        Assert.Equal(ReviewScenario.Rubric.Levels[a1].Name, analysis.Scores[0].LevelName);
        // The comparison is the principal's: a teacher of the school is not allowed, another district does not see it.
        await Assert.ThrowsAsync<ForbiddenException>(async () => await host.WithServiceAsync<ReviewQueries, ReviewComparison>(async q => await q.ComparisonAsync(await s.District.ActorAsync(s.District.Teacher), id, None)));
        var other = await Infrastructure.TestDistrict.CreateAsync(host);
        await Assert.ThrowsAsync<NotFoundException>(async () => await host.WithServiceAsync<ReviewQueries, ReviewComparison>(async q => await q.ComparisonAsync(await other.ActorAsync(other.Admin), id, None)));
    }

    [Fact]
    public async Task Reviewer_OpensOnlyTheirOwnReview_AndTheAllocatedAttemptsEvidence()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 1);
        var d = s.District;
        var id = await s.SubmitAsync(d.Teacher);
        var review = Assert.Single(await s.ReviewsAsync(id));
        var reviewer = await s.ActorAsync(review.ReviewerId);
        var outsider = await d.ActorAsync(await s.AddPersonAsync("Not allocated", d.North));
        var other = await Infrastructure.TestDistrict.CreateAsync(host);

        var view = await host.WithServiceAsync<ReviewQueries, ReviewView>(q => q.ReviewAsync(reviewer, review.Id, None));
        Assert.Equal(id, view.Attempt.Attempt.Id);
        Assert.Single(view.Attempt.Criteria.Single().Evidence);
        await host.WithServiceAsync<EvidenceAccess, Attempt>(a => a.AttemptAsync(reviewer, id, None));

        await Assert.ThrowsAsync<ForbiddenException>(() => host.WithServiceAsync<ReviewQueries, ReviewView>(q => q.ReviewAsync(outsider, review.Id, None)));
        await Assert.ThrowsAsync<ForbiddenException>(() => s.Run<SaveReviewDraft>(u => u.HandleAsync(outsider, review.Id, ReviewScenario.Input(1, 1), None)));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithServiceAsync<EvidenceAccess, Attempt>(a => a.AttemptAsync(outsider, id, None)));
        await Assert.ThrowsAsync<NotFoundException>(async () => await host.WithServiceAsync<ReviewQueries, ReviewView>(async q => await q.ReviewAsync(await other.ActorAsync(other.Teacher), review.Id, None)));
        await Assert.ThrowsAsync<NotFoundException>(async () => await s.Run<SubmitReview>(async u => await u.HandleAsync(await other.ActorAsync(other.Admin), review.Id, ReviewScenario.Input(1, 1), None)));

        // Taken away, the review no longer opens the evidence.
        var replacement = await host.WithServiceAsync<ReallocateReview, Guid>(async u => await u.HandleAsync(await d.ActorAsync(d.Principal), review.Id, null, "Away this week", None));
        await Assert.ThrowsAsync<NotFoundException>(() => host.WithServiceAsync<EvidenceAccess, Attempt>(a => a.AttemptAsync(reviewer, id, None)));
        var newReviewer = await s.ActorAsync((await s.ReviewsAsync(id)).Single(r => r.Id == replacement).ReviewerId);
        await host.WithServiceAsync<EvidenceAccess, Attempt>(a => a.AttemptAsync(newReviewer, id, None));
    }

    [Fact]
    public async Task Reallocate_ByThePrincipalOfTheSchool_ToANamedEligibleReviewer_KeepsTheOldOne()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 1);
        var d = s.District;
        var spare = await s.AddPersonAsync("Spare reviewer", d.North);
        var id = await s.SubmitAsync(d.Teacher);
        var review = Assert.Single(await s.ReviewsAsync(id));
        var southPrincipal = await d.ActorAsync(await s.AddPersonAsync("South principal", d.South, ProductRoles.Principal));
        var named = review.ReviewerId == spare.Id ? d.SouthTeacher.Id : spare.Id;

        await Assert.ThrowsAsync<ForbiddenException>(() => host.WithServiceAsync<ReallocateReview, Guid>(u => u.HandleAsync(southPrincipal, review.Id, named, null, None)));
        var teacherAsTarget = await Assert.ThrowsAsync<InvalidInputException>(async () => await host.WithServiceAsync<ReallocateReview, Guid>(async u => await u.HandleAsync(await d.ActorAsync(d.Principal), review.Id, d.Teacher.Id, null, None)));
        Assert.Contains("not eligible", teacherAsTarget.Message, StringComparison.Ordinal);

        var replacement = await host.WithServiceAsync<ReallocateReview, Guid>(async u => await u.HandleAsync(await d.ActorAsync(d.Principal), review.Id, named, "Knows the grade level", None));

        var reviews = await s.ReviewsAsync(id);
        var old = reviews.Single(r => r.Id == review.Id);
        Assert.Equal(ReviewStatus.Reallocated, old.Status);
        Assert.Equal(replacement, old.ReplacedById);
        var fresh = reviews.Single(r => r.Id == replacement);
        Assert.Equal((named, ReviewStatus.Allocated, (Guid?)d.Principal.Id), (fresh.ReviewerId, fresh.Status, fresh.AllocatedBy));
        var entry = await host.WithDbAsync(db => db.AuditEntries.SingleAsync(e => e.SubjectId == review.Id && e.Action == "review.reallocated"));
        Assert.Equal(d.Principal.Id, entry.ActorId);
        Assert.Contains("Knows the grade level", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeclaredConflict_ByTheReviewer_ReallocatesTheReview_AndKeepsThemAwayFromTheTeacher()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 1);
        var d = s.District;
        await s.AddPersonAsync("Spare reviewer", d.North);
        var id = await s.SubmitAsync(d.Teacher);
        var review = Assert.Single(await s.ReviewsAsync(id));
        var reviewer = await s.ActorAsync(review.ReviewerId);

        await s.Run<DeclareConflict>(u => u.HandleAsync(reviewer, review.Id, "My sister-in-law", None));

        var reviews = await s.ReviewsAsync(id);
        Assert.Equal(ReviewStatus.Reallocated, reviews.Single(r => r.Id == review.Id).Status);
        Assert.NotEqual(review.ReviewerId, reviews.Single(r => r.Status == ReviewStatus.Allocated).ReviewerId);
        var conflict = await host.WithDbAsync(db => db.ReviewerConflicts.SingleAsync(c => c.ReviewerId == review.ReviewerId && c.TeacherId == d.Teacher.Id));
        Assert.Equal("My sister-in-law", conflict.Reason);

        // A principal records one too; a teacher cannot.
        await Assert.ThrowsAsync<ForbiddenException>(async () => await s.Run<DeclareConflict>(async u => await u.RecordAsync(await d.ActorAsync(d.SouthTeacher), d.SouthTeacher.Id, d.Teacher.Id, null, None)));
        var gil = await s.AddPersonAsync("Gil Coteacher", d.North);
        await s.Run<DeclareConflict>(async u => await u.RecordAsync(await d.ActorAsync(d.Principal), gil.Id, d.Teacher.Id, "Co-teachers", None));
        Assert.Equal(2, await host.WithDbAsync(db => db.ReviewerConflicts.CountAsync(c => c.TeacherId == d.Teacher.Id)));
    }

    [Fact]
    public async Task Teacher_SeesFeedbackOnlyAfterTheDecision_AndAnonymousReviewersAsNumbers()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 2, anonymous: true);
        var d = s.District;
        await s.AddPersonAsync("Fay Colleague", d.North);
        var id = await s.SubmitAsync(d.Teacher);
        var reviews = await s.ReviewsAsync(id);
        await s.SubmitReviewAsync(reviews[0], 2, 2, "Strong unit.");
        await s.SubmitReviewAsync(reviews[1], 1, 2, "Good start.");
        var teacher = await d.ActorAsync(d.Teacher);

        Assert.Empty(await host.WithServiceAsync<ReviewQueries, IReadOnlyList<PeerFeedback>>(q => q.FeedbackForTeacherAsync(teacher, id, None)));
        await host.WithDbAsync(async db => await db.Attempts.Where(a => a.Id == id).ExecuteUpdateAsync(u => u.SetProperty(a => a.Status, AttemptStatus.Awarded)));

        var feedback = await host.WithServiceAsync<ReviewQueries, IReadOnlyList<PeerFeedback>>(q => q.FeedbackForTeacherAsync(teacher, id, None));
        Assert.Equal(["Reviewer 1", "Reviewer 2"], feedback.Select(f => f.Label));
        Assert.Equal(["Strong unit.", "Good start."], feedback.Select(f => f.Overall));
        Assert.Equal("Proficient", feedback[0].Criteria[0].LevelName);

        await s.SetPolicyAsync(new ReviewPolicyInput(2, false, 5, 1, 2, ReviewerEligibility.AnyColleague));
        var named = await host.WithServiceAsync<ReviewQueries, IReadOnlyList<PeerFeedback>>(q => q.FeedbackForTeacherAsync(teacher, id, None));
        var names = await host.WithDbAsync(db => db.People.Where(p => reviews.Select(r => r.ReviewerId).Contains(p.Id)).Select(p => p.Name).ToListAsync());
        Assert.Equal(names.Order(), named.Select(f => f.Label).Order());
        await Assert.ThrowsAsync<ForbiddenException>(async () => await host.WithServiceAsync<ReviewQueries, IReadOnlyList<PeerFeedback>>(async q => await q.FeedbackForTeacherAsync(await d.ActorAsync(d.SouthTeacher), id, None)));
    }
}

public sealed class ReviewWorkTests_Sqlite(SqliteReviewHost host) : ReviewWorkTests<SqliteReviewHost>(host), IClassFixture<SqliteReviewHost>;

public sealed class ReviewWorkTests_PostgreSql(PostgresReviewHost host) : ReviewWorkTests<PostgresReviewHost>(host), IClassFixture<PostgresReviewHost>;
