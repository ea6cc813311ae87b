using LtiMicroCred.Access;
using LtiMicroCred.Catalog;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Calibration;

public sealed record ReviewerResult(Guid PersonId, string Name, double ExactAgreement, double AdjacentAgreement, double WeightedKappa, int ScoredReferences, bool Calibrated, DateTimeOffset MeasuredAt);

public sealed record CredentialCalibration(Guid CredentialId, string Title, IReadOnlyList<ReferenceSubmission> References, IReadOnlyList<ReviewerResult> Results)
{
    public int ActiveReferences => References.Count(r => r.Active);
}

public sealed record CalibrationOverview(double Threshold, bool RequireCalibratedReviewers, IReadOnlyList<CredentialCalibration> Credentials);

/// <summary>The reference form: the credential, the rubric the reference is scored on, and the reference when editing.</summary>
public sealed record ReferenceForm(Guid CredentialId, string CredentialTitle, Rubric Rubric, ReferenceSubmission? Reference);

/// <summary>The district admin's view of calibration: references per credential and every reviewer's latest result.</summary>
public sealed class CalibrationQueries(AppDbContext db)
{
    public async Task<CalibrationOverview> OverviewAsync(Actor actor, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var settings = await db.ProgrammeSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == actor.TenantId, cancellationToken) ?? new ProgrammeSettings();
        var credentials = await db.Credentials.AsNoTracking().Where(c => c.TenantId == actor.TenantId && !c.Retired)
            .Select(c => new { c.Id, c.Title }).ToListAsync(cancellationToken);
        var references = await db.ReferenceSubmissions.AsNoTracking().Where(r => r.TenantId == actor.TenantId).ToListAsync(cancellationToken);
        var results = await (
            from r in db.ReviewerCalibrations.AsNoTracking()
            join p in db.People.AsNoTracking() on r.PersonId equals p.Id
            where r.TenantId == actor.TenantId
            select new { r.CredentialId, Result = new ReviewerResult(p.Id, p.Name, r.ExactAgreement, r.AdjacentAgreement, r.WeightedKappa, r.ScoredReferences, r.Calibrated, r.MeasuredAt) })
            .ToListAsync(cancellationToken);
        return new CalibrationOverview(settings.CalibrationKappaThreshold, settings.RequireCalibratedReviewers, credentials
            .OrderBy(c => c.Title, StringComparer.CurrentCulture)
            .Select(c => new CredentialCalibration(c.Id, c.Title,
                references.Where(r => r.CredentialId == c.Id).OrderByDescending(r => r.Active).ThenBy(r => r.CreatedAt).ToList(),
                results.Where(r => r.CredentialId == c.Id).Select(r => r.Result).OrderBy(r => r.Name, StringComparer.CurrentCulture).ToList()))
            .ToList());
    }

    /// <summary>The form for a new reference of a credential (its current rubric), or for editing one (the rubric it was scored on).</summary>
    public async Task<ReferenceForm> FormAsync(Actor actor, Guid credentialId, Guid? referenceId, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var credential = await db.Credentials.AsNoTracking().SingleOrDefaultAsync(c => c.Id == credentialId && c.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("There is no such microcredential.");
        ReferenceSubmission? reference = null;
        if (referenceId is { } id)
        {
            reference = await db.ReferenceSubmissions.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id && r.CredentialId == credentialId && r.TenantId == actor.TenantId, cancellationToken)
                ?? throw new NotFoundException("There is no such reference submission.");
        }

        var versionId = reference?.CredentialVersionId ?? credential.CurrentVersionId
            ?? throw new RuleViolationException("This microcredential has no published version yet, so it has no rubric to score.");
        var definition = await db.CredentialVersions.AsNoTracking().Where(v => v.Id == versionId).Select(v => v.Definition).SingleAsync(cancellationToken);
        return new ReferenceForm(credential.Id, credential.Title, definition.Rubric, reference);
    }
}
