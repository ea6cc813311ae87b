using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.People;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Reviews;

/// <summary>Who gets an attempt's peer reviews when it is submitted, through the real use cases on the real database.</summary>
public abstract class ReviewAllocationTests<THost>(THost host) where THost : ReviewHost
{
    [Fact]
    public async Task Submit_WithAPolicy_GoesInReview_AndAllocatesColleagues_NeverTheTeacherNorADeclaredConflict()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 2);
        var d = s.District;
        var conflicted = await s.AddPersonAsync("Cora Conflicted", d.North);
        var eli = await s.AddPersonAsync("Eli Reviewer", d.North, ProductRoles.PeerReviewer);
        var coach = await s.AddPersonAsync("Nia Coach only", d.North, ProductRoles.Coach);
        await host.WithDbAsync(db =>
        {
            db.ReviewerConflicts.Add(new ReviewerConflict { Id = Guid.NewGuid(), TenantId = d.TenantId, ReviewerId = conflicted.Id, TeacherId = d.Teacher.Id, DeclaredBy = d.Admin.Id, DeclaredAt = DateTimeOffset.UtcNow });
            return db.SaveChangesAsync();
        });
        var before = host.Clock.GetUtcNow();

        var id = await s.SubmitAsync(d.Teacher);

        var attempt = await s.AttemptAsync(id);
        Assert.Equal(AttemptStatus.InReview, attempt.Status);
        Assert.Null(attempt.ReadyForDecisionAt);
        var reviews = await s.ReviewsAsync(id);
        // The eligible: Ben (teacher at South) and Eli (peer reviewer); not Ada herself, not Cora, not a coach, not the principal or the admin.
        Assert.Equal(new[] { d.SouthTeacher.Id, eli.Id }.Order(), reviews.Select(r => r.ReviewerId).Order());
        Assert.All(reviews, r =>
        {
            Assert.Equal(ReviewStatus.Allocated, r.Status);
            Assert.Null(r.AllocatedBy);
            Assert.Equal(SchoolCalendar.AddSchoolDays(r.AllocatedAt, 5), r.DueAt);
            Assert.True(r.AllocatedAt >= before);
        });
        Assert.DoesNotContain(reviews, r => r.ReviewerId == coach.Id || r.ReviewerId == conflicted.Id);
        var audited = await host.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.TenantId == d.TenantId && e.Action == "review.allocated"));
        Assert.Equal(2, audited);
    }

    [Fact]
    public async Task Submit_NeverAllocatesAPrincipalOfTheTeachersSchool_WhoDecidesTheAttempt()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 2, eligibility: ReviewerEligibility.SameSchool);
        var d = s.District;
        var teachingPrincipal = await s.AddPersonAsync("Tess Teaching-principal", d.North, ProductRoles.Teacher | ProductRoles.Principal);
        var colleague = await s.AddPersonAsync("Cal Colleague", d.North);

        var id = await s.SubmitAsync(d.Teacher);

        // Two reviews wanted, one colleague eligible: the principal, a teacher too, is left out and the shortfall shows.
        var review = Assert.Single(await s.ReviewsAsync(id));
        Assert.Equal(colleague.Id, review.ReviewerId);
        Assert.NotEqual(teachingPrincipal.Id, review.ReviewerId);
        Assert.Equal(1, await host.WithServiceAsync<ReviewQueries, int>(async q => await q.ShortfallAsync(await s.ActorAsync(d.Admin.Id), id, CancellationToken.None)));
    }

    [Fact]
    public async Task Submit_WithoutAPolicy_OrWithZeroReviews_IsReadyForTheDecisionAtOnce()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 0);
        var first = await s.SubmitAsync(s.District.Teacher);
        await s.SetPolicyAsync(new ReviewPolicyInput(0, true, 5, 1, 2, ReviewerEligibility.AnyColleague));
        var second = await s.SubmitAsync(s.District.SouthTeacher);

        foreach (var id in new[] { first, second })
        {
            var attempt = await s.AttemptAsync(id);
            Assert.Equal(AttemptStatus.Submitted, attempt.Status);
            Assert.Equal(attempt.SubmittedAt, attempt.ReadyForDecisionAt);
            Assert.Empty(await s.ReviewsAsync(id));
        }
    }

    [Fact]
    public async Task Eligibility_SameSchoolAndTrainedReviewers_BothApply()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 3, eligibility: ReviewerEligibility.SameSchool | ReviewerEligibility.TrainedReviewers);
        var d = s.District;
        var northTrained = await s.AddPersonAsync("North trained", d.North, ProductRoles.Teacher | ProductRoles.PeerReviewer);
        await s.AddPersonAsync("North untrained", d.North, ProductRoles.Teacher);
        await s.AddPersonAsync("South trained", d.South, ProductRoles.PeerReviewer);
        var districtTrained = await s.AddPersonAsync("District trained, at North", d.North, ProductRoles.Teacher, assigned: ProductRoles.PeerReviewer);

        var id = await s.SubmitAsync(d.Teacher);

        var reviewers = (await s.ReviewsAsync(id)).Select(r => r.ReviewerId).Order().ToList();
        Assert.Equal(new[] { northTrained.Id, districtTrained.Id }.Order(), reviewers);
        // One short of three: the principal can see it.
        var shortfall = await host.WithServiceAsync<ReviewQueries, int>(async q => await q.ShortfallAsync(await d.ActorAsync(d.Principal), id, CancellationToken.None));
        Assert.Equal(1, shortfall);
        Assert.Equal(1, await host.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.SubjectId == id && e.Action == "review.shortfall")));
    }

    [Fact]
    public async Task CalibrationRequired_OnlyCalibratedReviewersOfThisCredential_AreAllocated()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 2);
        var d = s.District;
        var calibrated = await s.AddPersonAsync("Calibrated", d.North);
        var elsewhere = await s.AddPersonAsync("Calibrated on another credential", d.North);
        var failed = await s.AddPersonAsync("Below the threshold", d.North);
        var (other, _, _) = await d.AddCredentialAsync("other", "Other");
        await host.WithDbAsync(db =>
        {
            db.ReviewerCalibrations.Add(Calibration(d.TenantId, calibrated.Id, s.Credential.Id, true));
            db.ReviewerCalibrations.Add(Calibration(d.TenantId, elsewhere.Id, other.Id, true));
            db.ReviewerCalibrations.Add(Calibration(d.TenantId, failed.Id, s.Credential.Id, false));
            return db.SaveChangesAsync();
        });
        await s.Run<SetReviewProgramme>(async u => await u.HandleAsync(await d.ActorAsync(d.Admin), true, 0.7, CancellationToken.None));

        var id = await s.SubmitAsync(d.Teacher);

        Assert.Equal([calibrated.Id], (await s.ReviewsAsync(id)).Select(r => r.ReviewerId));
        Assert.Equal(0.7, await host.WithDbAsync(db => db.ProgrammeSettings.Where(p => p.TenantId == d.TenantId).Select(p => p.CalibrationKappaThreshold).SingleAsync()));
    }

    /// <summary>
    /// Fairness as a property: over many submissions by rotating teachers, each allocation goes to the least loaded
    /// eligible colleagues (nobody gets a review while an eligible colleague has fewer open), and in the end nobody
    /// carries more than ceil(average) + 1.
    /// </summary>
    [Fact]
    public async Task Allocation_OverManySubmissions_IsFair()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 2);
        var d = s.District;
        var staff = new List<People.Person> { d.Teacher, d.SouthTeacher };
        for (var i = 0; i < 6; i++)
        {
            staff.Add(await s.AddPersonAsync($"Colleague {i}", i % 2 == 0 ? d.North : d.South));
        }

        var load = staff.ToDictionary(p => p.Id, _ => 0);
        for (var round = 0; round < 3; round++)
        {
            var credential = round == 0 ? s.Credential : await s.AddCredentialAsync(new ReviewPolicyInput(2, true, 5, 1, 2, ReviewerEligibility.AnyColleague));
            foreach (var teacher in staff)
            {
                var id = await s.SubmitAsync(teacher, credential);
                var chosen = (await s.ReviewsAsync(id)).Select(r => r.ReviewerId).ToList();
                Assert.Equal(2, chosen.Count);
                Assert.DoesNotContain(teacher.Id, chosen);
                var othersEligible = load.Where(l => l.Key != teacher.Id && !chosen.Contains(l.Key)).Select(l => l.Value).ToList();
                Assert.All(chosen, c => Assert.True(load[c] <= othersEligible.Min(), $"A reviewer with {load[c]} open reviews got another while a colleague had {othersEligible.Min()}."));
                foreach (var c in chosen)
                {
                    load[c]++;
                }

                var open = await host.WithDbAsync(db => db.ReviewAssignments.Where(r => r.TenantId == d.TenantId && r.Status == ReviewStatus.Allocated)
                    .GroupBy(r => r.ReviewerId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
                Assert.All(load, l => Assert.Equal(l.Value, open.GetValueOrDefault(l.Key)));
                var ceiling = (int)Math.Ceiling(load.Values.Sum() / (double)load.Count) + 1;
                if (load.Values.Any(v => v == 0))
                {
                    Assert.True(load.Values.Max() <= ceiling, $"Someone carries {load.Values.Max()} reviews while a colleague is idle (ceiling {ceiling}).");
                }
            }
        }

        Assert.Equal(48, load.Values.Sum());
        Assert.True(load.Values.Max() - load.Values.Min() <= 2, string.Join(", ", load.Values));
        Assert.True(load.Values.Max() <= (int)Math.Ceiling(load.Values.Sum() / (double)load.Count) + 1);
    }

    [Fact]
    public void Randomness_WithAPinnedSeed_RepeatsItsTieBreaks()
    {
        var a = new ReviewRandomness(7);
        var b = new ReviewRandomness(7);
        Assert.Equal(Enumerable.Range(0, 20).Select(_ => a.Next(1000)), Enumerable.Range(0, 20).Select(_ => b.Next(1000)));
    }

    [Fact]
    public void SchoolCalendar_CountsMondayToFriday()
    {
        var thursday = new DateTimeOffset(2026, 11, 26, 14, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 14, 0, 0, TimeSpan.Zero), SchoolCalendar.AddSchoolDays(thursday, 5));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 14, 0, 0, TimeSpan.Zero), SchoolCalendar.AddSchoolDays(thursday.AddDays(1), 1));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 14, 0, 0, TimeSpan.Zero), SchoolCalendar.AddSchoolDays(thursday.AddDays(4), -1));
        Assert.Equal(5, SchoolCalendar.SchoolDaysBetween(thursday, thursday.AddDays(7)));
        Assert.Equal(0, SchoolCalendar.SchoolDaysBetween(thursday, thursday.AddHours(23)));
    }

    [Fact]
    public async Task SetReviewPolicy_IsForDistrictAdmins_AndValidated()
    {
        var s = await ReviewScenario.CreateAsync(host, requiredReviews: 0);
        var d = s.District;
        var valid = new ReviewPolicyInput(2, false, 5, 1, 2, ReviewerEligibility.SameSchool);
        await Assert.ThrowsAsync<ForbiddenException>(() => s.Run<SetReviewPolicy>(async u => await u.HandleAsync(await d.ActorAsync(d.Principal), s.Credential.Id, valid, CancellationToken.None)));
        var other = await TestDistrictOf(host);
        await Assert.ThrowsAsync<NotFoundException>(() => s.Run<SetReviewPolicy>(async u => await u.HandleAsync(await other.ActorAsync(other.Admin), s.Credential.Id, valid, CancellationToken.None)));
        var invalid = await Assert.ThrowsAsync<InvalidInputException>(() => s.SetPolicyAsync(valid with { RequiredReviews = 9, ReminderSchoolDays = 5 }));
        Assert.True(invalid.Errors.ContainsKey("required"));
        Assert.True(invalid.Errors.ContainsKey("reminder"));

        await s.SetPolicyAsync(valid);
        var policy = await host.WithDbAsync(db => db.ReviewPolicies.SingleAsync(p => p.CredentialId == s.Credential.Id));
        Assert.Equal((2, false, ReviewerEligibility.SameSchool), (policy.RequiredReviews, policy.Anonymous, policy.Eligibility));
        Assert.Equal(1, await host.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.SubjectId == s.Credential.Id && e.Action == "policy.changed")));
    }

    private static Task<Infrastructure.TestDistrict> TestDistrictOf(THost host) => Infrastructure.TestDistrict.CreateAsync(host);

    private static ReviewerCalibration Calibration(Guid tenantId, Guid personId, Guid credentialId, bool calibrated) => new()
    {
        TenantId = tenantId, PersonId = personId, CredentialId = credentialId, ExactAgreement = 0.8, AdjacentAgreement = 1, WeightedKappa = calibrated ? 0.8 : 0.3,
        ScoredReferences = 5, Calibrated = calibrated, MeasuredAt = DateTimeOffset.UtcNow,
    };
}

public sealed class ReviewAllocationTests_Sqlite(SqliteReviewHost host) : ReviewAllocationTests<SqliteReviewHost>(host), IClassFixture<SqliteReviewHost>;

public sealed class ReviewAllocationTests_PostgreSql(PostgresReviewHost host) : ReviewAllocationTests<PostgresReviewHost>(host), IClassFixture<PostgresReviewHost>;
