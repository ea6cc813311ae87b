using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Decisions;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.People;
using LtiMicroCred.Reports;
using Microsoft.EntityFrameworkCore;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.Reports;

/// <summary>The progress report on the real database: aggregate counts, medians, and who may read which schools.</summary>
public abstract class ReportQueriesTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task Progress_CountsByStatusSchoolAndCredential_WithMediansAndResubmissionRate()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var (second, _, _) = await d.AddCredentialAsync("co-teaching", "Co-teaching");
        var teacher = await d.ActorAsync(d.Teacher);
        var awarded = await SubmittedAsync(host, teacher, d.Credential.Id);
        var notYet = await SubmittedAsync(host, await d.ActorAsync(d.SouthTeacher), d.Credential.Id);
        await host.WithServiceAsync<StartAttempt, Guid>(u => u.HandleAsync(teacher, second.Id, None));
        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), awarded, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None));
        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Admin), notYet, new DecisionInput(DecisionOutcome.NotYet, Levels(1), Feedback("Group the results."), null), None));

        var report = await ProgressAsync(await d.ActorAsync(d.Admin), new ReportFilter());

        Assert.Equal(3, report.Attempts);
        Assert.Equal(1, report.ByStatus.Single(s => s.Status == AttemptStatus.Awarded).Count);
        Assert.Equal(1, report.ByStatus.Single(s => s.Status == AttemptStatus.NotYet).Count);
        Assert.Equal(3, report.ByStatus.Sum(s => s.Count));
        Assert.Equal([new ProgressLine(d.North.Id, "North Elementary", 2, 1, 1, 0), new ProgressLine(d.South.Id, "South Middle", 1, 0, 0, 1)], report.BySchool);
        Assert.Equal([new ProgressLine(second.Id, "Co-teaching", 1, 1, 0, 0), new ProgressLine(d.Credential.Id, "Data literacy", 2, 0, 1, 1)], report.ByCredential);
        Assert.Equal((1, 0, (double?)0), (report.NotYetDecisions, report.Resubmitted, report.ResubmissionRate));
        Assert.Equal(2, report.SubmissionToDecision.Sample);
        Assert.NotNull(report.SubmissionToDecision.Median);
        Assert.True(report.SubmissionToDecision.Median < TimeSpan.FromMinutes(5));
        Assert.Equal((null, 0), (report.AllocationToReview.Median, report.AllocationToReview.Sample));
        var month = Assert.Single(report.OverTime);
        Assert.Equal((3, 1), (month.Started, month.Awarded));
        Assert.Equal([d.North.Id, d.South.Id], report.Schools.Select(s => s.Id));

        var oneCredential = await ProgressAsync(await d.ActorAsync(d.Admin), new ReportFilter(CredentialId: second.Id));
        Assert.Equal((1, 1), (oneCredential.Attempts, oneCredential.ByStatus.Where(s => !AttemptStateMachine.IsClosed(s.Status)).Sum(s => s.Count)));
        Assert.Equal((1, 0), (oneCredential.OverTime.Sum(m => m.Started), oneCredential.OverTime.Sum(m => m.Awarded)));
        var dataLiteracy = await ProgressAsync(await d.ActorAsync(d.Admin), new ReportFilter(CredentialId: d.Credential.Id));
        Assert.Equal((2, 1), (dataLiteracy.OverTime.Sum(m => m.Started), dataLiteracy.OverTime.Sum(m => m.Awarded)));
        var other = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        Assert.Equal(0, (await ProgressAsync(await other.ActorAsync(other.Admin), new ReportFilter())).OverTime.Sum(m => m.Awarded));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Equal(0, (await ProgressAsync(await d.ActorAsync(d.Admin), new ReportFilter(From: today.AddDays(2)))).Attempts);
        Assert.Equal(3, (await ProgressAsync(await d.ActorAsync(d.Admin), new ReportFilter(From: today.AddDays(-1), To: today.AddDays(1)))).Attempts);
        var admin = await d.ActorAsync(d.Admin);
        await Assert.ThrowsAsync<InvalidInputException>(() => ProgressAsync(admin, new ReportFilter(From: today, To: today.AddDays(-1))));
    }

    [Fact]
    public async Task Progress_PrincipalSeesOnlyTheirSchools_OthersAreRefused_AndAnotherTenantSeesNothing()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        await SubmittedAsync(host, await d.ActorAsync(d.Teacher), d.Credential.Id);
        await SubmittedAsync(host, await d.ActorAsync(d.SouthTeacher), d.Credential.Id);
        var principal = await d.ActorAsync(d.Principal);

        var seen = await ProgressAsync(principal, new ReportFilter());
        Assert.Equal(1, seen.Attempts);
        Assert.Equal([d.North.Id], seen.BySchool.Select(s => s.Id));
        Assert.Equal([d.North.Id], seen.Schools.Select(s => s.Id));
        await Assert.ThrowsAsync<ForbiddenException>(() => ProgressAsync(principal, new ReportFilter(SchoolId: d.South.Id)));
        await Assert.ThrowsAsync<ForbiddenException>(async () => await ProgressAsync(await d.ActorAsync(d.Teacher), new ReportFilter()));
        var southPrincipal = await d.ActorAsync(await AddPersonAsync(host, d, "Sam South", d.South.Id, ProductRoles.Principal));
        Assert.Equal([d.South.Id], (await ProgressAsync(southPrincipal, new ReportFilter())).BySchool.Select(s => s.Id));

        var other = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var otherAdmin = await other.ActorAsync(other.Admin);
        Assert.Equal(0, (await ProgressAsync(otherAdmin, new ReportFilter())).Attempts);
        await Assert.ThrowsAsync<NotFoundException>(() => ProgressAsync(otherAdmin, new ReportFilter(CredentialId: d.Credential.Id)));
        await Assert.ThrowsAsync<NotFoundException>(() => ProgressAsync(otherAdmin, new ReportFilter(SchoolId: d.North.Id)));
    }

    [Fact]
    public async Task Progress_OverTime_CountsStartsAndAwardsPerMonth_FromTheFirstAttemptOrTheFilterStart_WithEmptyMonths()
    {
        var d = await TestDistrict.CreateAsync(host, requirePlanApproval: false);
        var (second, _, _) = await d.AddCredentialAsync("co-teaching", "Co-teaching");
        var teacher = await d.ActorAsync(d.Teacher);
        var early = await SubmittedAsync(host, teacher, d.Credential.Id);
        var middle = await SubmittedAsync(host, await d.ActorAsync(d.SouthTeacher), d.Credential.Id);
        await host.WithServiceAsync<StartAttempt, Guid>(u => u.HandleAsync(teacher, second.Id, None));
        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Principal), early, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None));
        await Use<DecideAttempt>(host, async u => await u.HandleAsync(await d.ActorAsync(d.Admin), middle, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None));
        var now = DateTime.UtcNow;
        var thisMonth = new DateOnly(now.Year, now.Month, 1);
        DateTimeOffset MidMonth(int monthsAgo) => new(thisMonth.AddMonths(-monthsAgo).ToDateTime(new TimeOnly(12, 0)).AddDays(9), TimeSpan.Zero);
        // Started three months ago and awarded two months ago; started one month ago and awarded this month; started this month.
        await host.WithDbAsync(async db =>
        {
            await db.Attempts.Where(a => a.Id == early).ExecuteUpdateAsync(u => u.SetProperty(a => a.CreatedAt, MidMonth(3)));
            await db.AttemptDecisions.Where(x => x.AttemptId == early).ExecuteUpdateAsync(u => u.SetProperty(x => x.DecidedAt, MidMonth(2)));
            return await db.Attempts.Where(a => a.Id == middle).ExecuteUpdateAsync(u => u.SetProperty(a => a.CreatedAt, MidMonth(1)));
        });
        var admin = await d.ActorAsync(d.Admin);

        var all = await ProgressAsync(admin, new ReportFilter());
        Assert.Equal(
            [new MonthCount(thisMonth.AddMonths(-3), 1, 0), new MonthCount(thisMonth.AddMonths(-2), 0, 1), new MonthCount(thisMonth.AddMonths(-1), 1, 0), new MonthCount(thisMonth, 1, 1)],
            all.OverTime);

        // From two months ago: the early attempt (and so its award) is outside the filter, and the series starts at the filter's month.
        var fromTwoMonthsAgo = await ProgressAsync(admin, new ReportFilter(From: thisMonth.AddMonths(-2)));
        Assert.Equal(
            [new MonthCount(thisMonth.AddMonths(-2), 0, 0), new MonthCount(thisMonth.AddMonths(-1), 1, 0), new MonthCount(thisMonth, 1, 1)],
            fromTwoMonthsAgo.OverTime);

        // Up to last month: the series ends there; the award of this month is not in it.
        var toLastMonth = await ProgressAsync(admin, new ReportFilter(To: thisMonth.AddDays(-1)));
        Assert.Equal(
            [new MonthCount(thisMonth.AddMonths(-3), 1, 0), new MonthCount(thisMonth.AddMonths(-2), 0, 1), new MonthCount(thisMonth.AddMonths(-1), 1, 0)],
            toLastMonth.OverTime);

        // The medians of a date filter are taken over the decisions of the attempts started in it.
        Assert.Equal((2, 1, 2), (all.SubmissionToDecision.Sample, fromTwoMonthsAgo.SubmissionToDecision.Sample, toLastMonth.SubmissionToDecision.Sample));
        Assert.Equal(0, (await ProgressAsync(admin, new ReportFilter(From: thisMonth))).SubmissionToDecision.Sample);
    }

    private Task<ProgressReport> ProgressAsync(Actor actor, ReportFilter filter) =>
        host.WithServiceAsync<ReportQueries, ProgressReport>(q => q.ProgressAsync(actor, filter, None));
}

public sealed class ReportQueriesTests_Sqlite(SqliteToolHost host) : ReportQueriesTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class ReportQueriesTests_PostgreSql(PostgresToolHost host) : ReportQueriesTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
