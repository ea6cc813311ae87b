using LtiMicroCred.Access;
using LtiMicroCred.Audit;
using LtiMicroCred.Catalog;
using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Calibration;

public sealed record ExerciseSummary(Guid CredentialId, string CredentialTitle, int References, int Scored, ReviewerCalibration? Result);

/// <summary>A reference as the reviewer sees it; <see cref="Agreed"/> is null until the reviewer has scored every reference.</summary>
public sealed record ExerciseReference(ReferenceSubmission Reference, Rubric Rubric, IReadOnlyList<CriterionLevel>? Mine, IReadOnlyList<CriterionLevel>? Agreed)
{
    public int? MyLevel(string criterionKey) => Mine?.FirstOrDefault(l => l.CriterionKey == criterionKey)?.Level;

    public int? AgreedLevel(string criterionKey) => Agreed?.FirstOrDefault(l => l.CriterionKey == criterionKey)?.Level;
}

public sealed record ExerciseView(Guid CredentialId, string CredentialTitle, IReadOnlyList<ExerciseReference> References, bool Complete,
    ReviewerCalibration? Result, AgreementResult? Agreement, double Threshold)
{
    public ExerciseReference? Next => References.FirstOrDefault(r => r.Mine is null);
}

/// <summary>
/// The reviewer's calibration exercise for one credential (Arkansas inter-rater reliability): they score every active
/// reference submission against the rubric without seeing the agreed levels; when the last is in, their agreement is
/// measured (<see cref="Agreement"/>) and kept as their <see cref="ReviewerCalibration"/> for the credential, calibrated
/// when the weighted kappa reaches the district's threshold. A retake clears their scores; the last result stands until
/// a new one replaces it. Open to teachers and peer reviewers; each sees only their own scores and results.
/// </summary>
public sealed class CalibrationExercise(AppDbContext db, AuditLog audit, TimeProvider time)
{
    /// <summary>A credential joins the exercise once it has this many active references.</summary>
    public const int MinimumReferences = 3;

    public async Task<IReadOnlyList<ExerciseSummary>> AvailableAsync(Actor actor, CancellationToken cancellationToken)
    {
        RequireReviewer(actor);
        var counts = await (
            from r in db.ReferenceSubmissions.AsNoTracking()
            join c in db.Credentials.AsNoTracking() on r.CredentialId equals c.Id
            where r.TenantId == actor.TenantId && r.Active && !c.Retired
            group r by new { c.Id, c.Title } into g
            select new { g.Key.Id, g.Key.Title, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var open = counts.Where(c => c.Count >= MinimumReferences).ToList();
        var ids = open.Select(c => c.Id).ToList();
        var scored = await (
            from s in db.CalibrationScores.AsNoTracking()
            join r in db.ReferenceSubmissions.AsNoTracking() on s.ReferenceId equals r.Id
            where s.ReviewerId == actor.PersonId && r.Active && ids.Contains(r.CredentialId)
            group s by r.CredentialId into g
            select new { CredentialId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.CredentialId, g => g.Count, cancellationToken);
        var results = await db.ReviewerCalibrations.AsNoTracking()
            .Where(c => c.TenantId == actor.TenantId && c.PersonId == actor.PersonId && ids.Contains(c.CredentialId))
            .ToDictionaryAsync(c => c.CredentialId, cancellationToken);
        return open.OrderBy(c => c.Title, StringComparer.CurrentCulture)
            .Select(c => new ExerciseSummary(c.Id, c.Title, c.Count, scored.GetValueOrDefault(c.Id), results.GetValueOrDefault(c.Id)))
            .ToList();
    }

    public async Task<ExerciseView> OpenAsync(Actor actor, Guid credentialId, CancellationToken cancellationToken)
    {
        RequireReviewer(actor);
        var (title, references, rubrics) = await ReferencesAsync(actor, credentialId, cancellationToken);
        var ids = references.Select(r => r.Id).ToList();
        var mine = await db.CalibrationScores.AsNoTracking().Where(s => s.ReviewerId == actor.PersonId && ids.Contains(s.ReferenceId))
            .ToDictionaryAsync(s => s.ReferenceId, s => s.Levels, cancellationToken);
        var complete = references.All(r => mine.ContainsKey(r.Id));
        var view = references.Select(r => new ExerciseReference(r, rubrics[r.CredentialVersionId], mine.GetValueOrDefault(r.Id), complete ? r.AgreedLevels : null)).ToList();
        var result = await db.ReviewerCalibrations.AsNoTracking().SingleOrDefaultAsync(c => c.PersonId == actor.PersonId && c.CredentialId == credentialId && c.TenantId == actor.TenantId, cancellationToken);
        return new ExerciseView(credentialId, title, view, complete, result, complete ? Measure(references, rubrics, mine) : null, await ThresholdAsync(actor.TenantId, cancellationToken));
    }

    /// <summary>Saves the reviewer's levels on one reference; after the last one, measures and records the result. True when the exercise is complete.</summary>
    public async Task<bool> ScoreAsync(Actor actor, Guid referenceId, IReadOnlyDictionary<string, int?> levels, CancellationToken cancellationToken)
    {
        RequireReviewer(actor);
        var credentialId = await db.ReferenceSubmissions.AsNoTracking().Where(r => r.Id == referenceId && r.TenantId == actor.TenantId && r.Active)
            .Select(r => (Guid?)r.CredentialId).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("There is no such reference submission.");
        var (_, references, rubrics) = await ReferencesAsync(actor, credentialId, cancellationToken);
        var ids = references.Select(r => r.Id).ToList();
        var scores = await db.CalibrationScores.Where(s => s.ReviewerId == actor.PersonId && ids.Contains(s.ReferenceId)).ToListAsync(cancellationToken);
        if (ids.All(id => scores.Any(s => s.ReferenceId == id)))
        {
            throw new RuleViolationException("You have scored every reference of this exercise. Retake it to score them again.");
        }

        var reference = references.Single(r => r.Id == referenceId);
        var chosen = RubricOutcome.Validate(rubrics[reference.CredentialVersionId], levels);
        var now = time.GetUtcNow();
        var score = scores.SingleOrDefault(s => s.ReferenceId == referenceId);
        if (score is null)
        {
            score = new CalibrationScore { Id = Guid.NewGuid(), TenantId = actor.TenantId, ReviewerId = actor.PersonId, ReferenceId = referenceId };
            db.CalibrationScores.Add(score);
            scores.Add(score);
        }

        score.Levels = chosen;
        score.SubmittedAt = now;
        var complete = ids.All(id => scores.Any(s => s.ReferenceId == id));
        if (complete)
        {
            var measured = Measure(references, rubrics, scores.ToDictionary(s => s.ReferenceId, s => s.Levels));
            var threshold = await ThresholdAsync(actor.TenantId, cancellationToken);
            var result = await db.ReviewerCalibrations.SingleOrDefaultAsync(c => c.PersonId == actor.PersonId && c.CredentialId == credentialId, cancellationToken);
            if (result is null)
            {
                result = new ReviewerCalibration { TenantId = actor.TenantId, PersonId = actor.PersonId, CredentialId = credentialId };
                db.ReviewerCalibrations.Add(result);
            }

            result.ExactAgreement = measured.Exact;
            result.AdjacentAgreement = measured.Adjacent;
            result.WeightedKappa = measured.WeightedKappa;
            result.ScoredReferences = references.Count;
            result.Calibrated = measured.WeightedKappa >= threshold;
            result.MeasuredAt = now;
            audit.Record(actor, result.Calibrated ? "calibration.calibrated" : "calibration.not-yet-calibrated", "credential", credentialId,
                $"Weighted kappa {measured.WeightedKappa:0.00} over {references.Count} references (threshold {threshold:0.00}).");
        }

        await db.SaveChangesAsync(cancellationToken);
        return complete;
    }

    /// <summary>Clears the reviewer's scores of this credential's references, so they can take the exercise again.</summary>
    public async Task RetakeAsync(Actor actor, Guid credentialId, CancellationToken cancellationToken)
    {
        RequireReviewer(actor);
        var (_, references, _) = await ReferencesAsync(actor, credentialId, cancellationToken);
        var ids = references.Select(r => r.Id).ToList();
        db.CalibrationScores.RemoveRange(await db.CalibrationScores.Where(s => s.ReviewerId == actor.PersonId && ids.Contains(s.ReferenceId)).ToListAsync(cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
    }

    internal static AgreementResult Measure(IReadOnlyList<ReferenceSubmission> references, IReadOnlyDictionary<Guid, Rubric> rubrics, IReadOnlyDictionary<Guid, IReadOnlyList<CriterionLevel>> scores)
    {
        var pairs = new List<ScorePair>();
        foreach (var reference in references)
        {
            if (!scores.TryGetValue(reference.Id, out var levels))
            {
                continue;
            }

            foreach (var agreed in reference.AgreedLevels)
            {
                if (levels.FirstOrDefault(l => l.CriterionKey == agreed.CriterionKey) is { } given)
                {
                    pairs.Add(new ScorePair(agreed.CriterionKey, given.Level, agreed.Level));
                }
            }
        }

        // References normally share one rubric; should versions differ, the widest scale keeps every level in range.
        var levelsCount = references.Select(r => rubrics[r.CredentialVersionId].Levels.Count).DefaultIfEmpty(0).Max();
        return Agreement.Measure(pairs, levelsCount);
    }

    private static void RequireReviewer(Actor actor)
    {
        if ((actor.Roles & (ProductRoles.PeerReviewer | ProductRoles.Teacher)) == 0)
        {
            throw new ForbiddenException("The calibration exercise is for teachers and peer reviewers.");
        }
    }

    private async Task<double> ThresholdAsync(Guid tenantId, CancellationToken cancellationToken) =>
        await db.ProgrammeSettings.AsNoTracking().Where(s => s.TenantId == tenantId).Select(s => (double?)s.CalibrationKappaThreshold).SingleOrDefaultAsync(cancellationToken)
        ?? new ProgrammeSettings().CalibrationKappaThreshold;

    /// <summary>The credential's active references, oldest first, with their rubrics; not open while there are fewer than the minimum.</summary>
    private async Task<(string Title, IReadOnlyList<ReferenceSubmission> References, IReadOnlyDictionary<Guid, Rubric> Rubrics)> ReferencesAsync(
        Actor actor, Guid credentialId, CancellationToken cancellationToken)
    {
        var title = await db.Credentials.AsNoTracking().Where(c => c.Id == credentialId && c.TenantId == actor.TenantId).Select(c => c.Title).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("There is no such microcredential.");
        var references = await db.ReferenceSubmissions.AsNoTracking().Where(r => r.CredentialId == credentialId && r.TenantId == actor.TenantId && r.Active)
            .OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        if (references.Count < MinimumReferences)
        {
            throw new RuleViolationException($"This microcredential has no calibration exercise yet: it needs at least {MinimumReferences} reference submissions.");
        }

        var versionIds = references.Select(r => r.CredentialVersionId).Distinct().ToList();
        var rubrics = await db.CredentialVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).Select(v => new { v.Id, v.Definition }).ToListAsync(cancellationToken);
        return (title, references, rubrics.ToDictionary(v => v.Id, v => v.Definition.Rubric));
    }
}
