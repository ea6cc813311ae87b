using LtiMicroCred.Access;
using LtiMicroCred.Calibration;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.People;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Calibration;

/// <summary>Reference submissions and the calibration exercise, through the real use cases on the real database.</summary>
public abstract class CalibrationUseCaseTests<THost>(THost host) where THost : ToolHost
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Exercise_HidesAgreedLevelsUntilTheLastScore_ThenRecordsTheHandComputedResult()
    {
        var d = await TestDistrict.CreateAsync(host);
        var (credential, _, _) = await d.AddCredentialAsync("calibrated", "Calibrated credential", definition: CalibrationSupport.TwoCriteria());
        var admin = await d.ActorAsync(d.Admin);
        // The mixed case of AgreementTests: agreed (reference) levels and the reviewer's levels per reference.
        var r1 = await AddReferenceAsync(admin, credential.Id, "Reference one", 0, 2);
        var r2 = await AddReferenceAsync(admin, credential.Id, "Reference two", 1, 2);
        var r3 = await AddReferenceAsync(admin, credential.Id, "Reference three", 1, 2);
        var reviewer = await d.ActorAsync(d.Teacher);

        Assert.False(await Exercise(e => e.ScoreAsync(reviewer, r1, CalibrationSupport.Levels(0, 1), None)));
        Assert.False(await Exercise(e => e.ScoreAsync(reviewer, r2, CalibrationSupport.Levels(1, 2), None)));
        var midway = await Exercise(e => e.OpenAsync(reviewer, credential.Id, None));
        Assert.False(midway.Complete);
        Assert.All(midway.References, r => Assert.Null(r.Agreed));
        Assert.Equal(r3, midway.Next!.Reference.Id);
        Assert.Null(await host.WithDbAsync(db => db.ReviewerCalibrations.SingleOrDefaultAsync(c => c.PersonId == d.Teacher.Id)));

        Assert.True(await Exercise(e => e.ScoreAsync(reviewer, r3, CalibrationSupport.Levels(2, 0), None)));

        // Pairs (reviewer, reference): a (0,0) (1,1) (2,1); b (1,2) (2,2) (0,2): exact 3/6, adjacent 5/6, kappa 0.25.
        var result = await host.WithDbAsync(db => db.ReviewerCalibrations.AsNoTracking().SingleAsync(c => c.PersonId == d.Teacher.Id && c.CredentialId == credential.Id));
        Assert.Equal(0.5, result.ExactAgreement, 9);
        Assert.Equal(5.0 / 6, result.AdjacentAgreement, 9);
        Assert.Equal(0.25, result.WeightedKappa, 9);
        Assert.Equal(3, result.ScoredReferences);
        Assert.False(result.Calibrated); // below the default threshold of 0.6
        var done = await Exercise(e => e.OpenAsync(reviewer, credential.Id, None));
        Assert.True(done.Complete);
        Assert.Equal(2, done.References.Single(r => r.Reference.Id == r1).AgreedLevel("b"));
        Assert.Equal((2.0 / 3, 1.0), (done.Agreement!.Criteria.Single(c => c.CriterionKey == "a").Exact, done.Agreement.Criteria.Single(c => c.CriterionKey == "a").Adjacent));

        // Finished: no more scoring until a retake.
        await Assert.ThrowsAsync<RuleViolationException>(() => Exercise(e => e.ScoreAsync(reviewer, r3, CalibrationSupport.Levels(1, 2), None)));

        // The district lowers its threshold; a retake with the agreed levels is perfect and calibrated.
        await host.WithServiceAsync<ManageReferences, int>(async m => { await m.SetThresholdAsync(admin, 0.2, None); return 0; });
        await Exercise(async e => { await e.RetakeAsync(reviewer, credential.Id, None); return 0; });
        Assert.Equal(0, await host.WithDbAsync(db => db.CalibrationScores.CountAsync(s => s.ReviewerId == d.Teacher.Id)));
        Assert.False((await Exercise(e => e.OpenAsync(reviewer, credential.Id, None))).Complete);
        await Exercise(e => e.ScoreAsync(reviewer, r1, CalibrationSupport.Levels(0, 2), None));
        await Exercise(e => e.ScoreAsync(reviewer, r2, CalibrationSupport.Levels(1, 2), None));
        await Exercise(e => e.ScoreAsync(reviewer, r3, CalibrationSupport.Levels(1, 2), None));
        var retaken = await host.WithDbAsync(db => db.ReviewerCalibrations.AsNoTracking().SingleAsync(c => c.PersonId == d.Teacher.Id));
        Assert.Equal(1, retaken.WeightedKappa, 9);
        Assert.True(retaken.Calibrated);
        var actions = await host.WithDbAsync(db => db.AuditEntries.Where(e => e.TenantId == d.TenantId).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal(["calibration.reference-added", "calibration.reference-added", "calibration.reference-added", "calibration.not-yet-calibrated",
            "calibration.threshold-changed", "calibration.calibrated"], actions);
    }

    [Fact]
    public async Task References_AreKeptByDistrictAdmins_WithTheAgreedOutcomeFromThePassingRule()
    {
        var d = await TestDistrict.CreateAsync(host);
        var (credential, version, _) = await d.AddCredentialAsync("refs", "References", definition: CalibrationSupport.TwoCriteria());
        var admin = await d.ActorAsync(d.Admin);

        var missing = await Assert.ThrowsAsync<InvalidInputException>(() => Manage(m => m.AddAsync(admin, credential.Id,
            new ReferenceInput("Incomplete", "Evidence", [new ReferenceLink("Video", "javascript:alert(1)")], new Dictionary<string, int?> { ["a"] = 1 }), None)));
        Assert.Equal(["level-b", "link-1"], missing.Errors.Keys.Order(StringComparer.Ordinal));

        var id = await Manage(m => m.AddAsync(admin, credential.Id,
            new ReferenceInput(" Lesson study ", "<p>Students <b>grouped</b></p><script>alert(1)</script>", [new ReferenceLink("", "https://video.example/1")], CalibrationSupport.Levels(1, 0)), None));
        var reference = await host.WithDbAsync(db => db.ReferenceSubmissions.AsNoTracking().SingleAsync(r => r.Id == id));
        Assert.Equal("Lesson study", reference.Title);
        Assert.Equal(version.Id, reference.CredentialVersionId);
        Assert.DoesNotContain("script", reference.EvidenceHtml, StringComparison.Ordinal);
        Assert.Contains("<b>grouped</b>", reference.EvidenceHtml, StringComparison.Ordinal);
        Assert.Equal([new ReferenceLink("video.example", "https://video.example/1")], reference.Links);
        Assert.Equal(ReviewOutcome.NotYet, reference.AgreedOutcome); // b at level 0 is below the minimum level 1

        await Manage(async m => { await m.UpdateAsync(admin, id, new ReferenceInput("Lesson study", "Plain <text>", [], CalibrationSupport.Levels(2, 1)), None); return 0; });
        Assert.Equal(ReviewOutcome.Pass, await host.WithDbAsync(db => db.ReferenceSubmissions.Where(r => r.Id == id).Select(r => r.AgreedOutcome).SingleAsync()));

        // A teacher may not keep references; another district's admin is told the reference does not exist.
        var teacher = await d.ActorAsync(d.Teacher);
        await Assert.ThrowsAsync<ForbiddenException>(() => Manage(m => m.AddAsync(teacher, credential.Id, new ReferenceInput("x", "y", [], CalibrationSupport.Levels(1, 1)), None)));
        var other = await TestDistrict.CreateAsync(host);
        await Assert.ThrowsAsync<NotFoundException>(async () => await Manage(async m => { await m.SetActiveAsync(await other.ActorAsync(other.Admin), id, false, None); return 0; }));
        await Assert.ThrowsAsync<InvalidInputException>(() => Manage(async m => { await m.SetThresholdAsync(admin, 1.5, None); return 0; }));
    }

    [Fact]
    public async Task Exercise_OpensWithThreeActiveReferences_ForTeachersAndPeerReviewersOnly()
    {
        var d = await TestDistrict.CreateAsync(host);
        var (credential, _, _) = await d.AddCredentialAsync("opens", "Opens at three", definition: CalibrationSupport.TwoCriteria());
        var admin = await d.ActorAsync(d.Admin);
        var teacher = await d.ActorAsync(d.Teacher);
        var r1 = await AddReferenceAsync(admin, credential.Id, "One", 1, 1);
        await AddReferenceAsync(admin, credential.Id, "Two", 2, 1);
        Assert.Empty(await Exercise(e => e.AvailableAsync(teacher, None)));
        await Assert.ThrowsAsync<RuleViolationException>(() => Exercise(e => e.OpenAsync(teacher, credential.Id, None)));

        await AddReferenceAsync(admin, credential.Id, "Three", 0, 1);
        var open = Assert.Single(await Exercise(e => e.AvailableAsync(teacher, None)));
        Assert.Equal((credential.Id, 3, 0), (open.CredentialId, open.References, open.Scored));

        // A retired reference leaves the exercise, which closes again below three.
        await Manage(async m => { await m.SetActiveAsync(admin, r1, false, None); return 0; });
        Assert.Empty(await Exercise(e => e.AvailableAsync(teacher, None)));

        // A principal who is neither teacher nor peer reviewer does not take it; a peer reviewer does.
        await Assert.ThrowsAsync<ForbiddenException>(async () => await Exercise(async e => await e.AvailableAsync(await d.ActorAsync(d.Principal), None)));
        var reviewer = await CalibrationSupport.AddPersonAsync(host, d, "Pat Reviewer", d.South, ProductRoles.PeerReviewer);
        Assert.Empty(await Exercise(async e => await e.AvailableAsync(await d.ActorAsync(reviewer), None)));
        // A reference of another district is not found.
        var other = await TestDistrict.CreateAsync(host);
        await Assert.ThrowsAsync<NotFoundException>(async () => await Exercise(async e => await e.ScoreAsync(await other.ActorAsync(other.Teacher), r1, CalibrationSupport.Levels(1, 1), None)));
    }

    private Task<Guid> AddReferenceAsync(Actor admin, Guid credentialId, string title, int a, int b) =>
        Manage(m => m.AddAsync(admin, credentialId, new ReferenceInput(title, "What the teacher did, in plain words.", [], CalibrationSupport.Levels(a, b)), None));

    private Task<T> Manage<T>(Func<ManageReferences, Task<T>> action) => host.WithServiceAsync(action);

    private Task<T> Exercise<T>(Func<CalibrationExercise, Task<T>> action) => host.WithServiceAsync(action);
}

public sealed class CalibrationUseCaseTests_Sqlite(SqliteToolHost host) : CalibrationUseCaseTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class CalibrationUseCaseTests_PostgreSql(PostgresToolHost host) : CalibrationUseCaseTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
