using System.Diagnostics;
using Hangfire;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.IntegrationTests.Reviews;

/// <summary>The hourly timeliness job against the real database, with the clock moved: reminder, escalation, reallocation.</summary>
public abstract class ReviewTimelinessTests<THost>(THost host) where THost : ReviewHost
{
    [Fact]
    public async Task Job_RemindsThenEscalatesThenReallocates_OnceEach_NeverToTheSameReviewer()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 1);
        await s.AddPersonAsync("Fay Colleague", s.District.North);
        var id = await s.SubmitAsync(s.District.Teacher);
        var review = Assert.Single(await s.ReviewsAsync(id));

        try
        {
            host.Clock.MoveTo(SchoolCalendar.AddSchoolDays(review.DueAt, -1).AddMinutes(1));
            await RunAsync();
            await RunAsync();
            var reminded = await ReviewAsync(review.Id);
            Assert.NotNull(reminded.RemindedAt);
            Assert.Null(reminded.EscalatedAt);
            Assert.Equal(1, await CountAsync(review.Id, "review.reminded"));

            host.Clock.MoveTo(review.DueAt.AddMinutes(1));
            await RunAsync();
            await RunAsync();
            var escalated = await ReviewAsync(review.Id);
            Assert.NotNull(escalated.EscalatedAt);
            Assert.Equal(ReviewStatus.Allocated, escalated.Status);
            Assert.Equal(1, await CountAsync(review.Id, "review.escalated"));

            host.Clock.MoveTo(SchoolCalendar.AddSchoolDays(review.DueAt, 2).AddMinutes(1));
            await RunAsync();
            await RunAsync();
            var reviews = await s.ReviewsAsync(id);
            Assert.Equal(2, reviews.Count);
            var old = reviews.Single(r => r.Id == review.Id);
            Assert.Equal(ReviewStatus.Reallocated, old.Status);
            var fresh = reviews.Single(r => r.Id == old.ReplacedById);
            Assert.NotEqual(review.ReviewerId, fresh.ReviewerId);
            Assert.Null(fresh.AllocatedBy);
            Assert.True(fresh.DueAt > host.Clock.GetUtcNow());
            Assert.Equal(1, await CountAsync(review.Id, "review.reallocated"));
        }
        finally
        {
            host.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Job_FillsAShortfall_WhenSomeoneEligibleAppears()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 2);
        var id = await s.SubmitAsync(s.District.Teacher);
        Assert.Single(await s.ReviewsAsync(id));

        var newcomer = await s.AddPersonAsync("New colleague", s.District.North);
        await RunAsync();
        await RunAsync();

        var reviews = await s.ReviewsAsync(id);
        Assert.Equal(2, reviews.Count);
        Assert.Contains(reviews, r => r.ReviewerId == newcomer.Id);
    }

    [Fact]
    public async Task RecurringJob_RunsOnTheRealHangfireServer()
    {
        host.Clock.Offset = TimeSpan.Zero;
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 2);
        var id = await s.SubmitAsync(s.District.Teacher);
        var newcomer = await s.AddPersonAsync("Late colleague", s.District.South);

        host.Services.GetRequiredService<IRecurringJobManager>().Trigger(ReviewTimelinessJob.RecurringJobId);

        var deadline = Stopwatch.StartNew();
        while (!(await s.ReviewsAsync(id)).Any(r => r.ReviewerId == newcomer.Id))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60), "The recurring job did not allocate the missing review within a minute.");
            await Task.Delay(100);
        }
    }

    private Task<TimelinessRun> RunAsync() => host.WithServiceAsync<ReviewTimelinessJob, TimelinessRun>(j => j.RunAsync(CancellationToken.None));

    private Task<ReviewAssignment> ReviewAsync(Guid id) => host.WithDbAsync(db => db.ReviewAssignments.AsNoTracking().SingleAsync(r => r.Id == id));

    private Task<int> CountAsync(Guid reviewId, string action) => host.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.SubjectId == reviewId && e.Action == action));
}

public sealed class ReviewTimelinessTests_Sqlite(SqliteReviewHost host) : ReviewTimelinessTests<SqliteReviewHost>(host), IClassFixture<SqliteReviewHost>;

public sealed class ReviewTimelinessTests_PostgreSql(PostgresReviewHost host) : ReviewTimelinessTests<PostgresReviewHost>(host), IClassFixture<PostgresReviewHost>;
