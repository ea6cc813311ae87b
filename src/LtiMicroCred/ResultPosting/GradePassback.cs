using LtiMicroCred.Attempts;
using LtiMicroCred.Decisions;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.ResultPosting;

/// <summary>The district's gradebook scale for decisions (<see cref="Catalog.ProgrammeSettings.GradeScale"/>).</summary>
public enum GradeScale
{
    /// <summary>The rubric total out of the rubric maximum.</summary>
    RubricPoints,

    /// <summary>1 of 1 for an award, 0 of 1 for "not yet".</summary>
    CompleteIncomplete,
}

/// <summary>What a "not yet" posts (<see cref="Catalog.ProgrammeSettings.NotYetGrade"/>).</summary>
public enum NotYetGrade
{
    /// <summary>A score on the district's scale, fully graded; a later award replaces it.</summary>
    Score,

    /// <summary>No score, grading progress Pending, until the resubmission is decided.</summary>
    Pending,
}

/// <summary>The outbox payload of one grade: which decision, to which line item. Ids and URLs only.</summary>
public sealed record GradePassbackPayload(Guid DecisionId, string LineItemUrl);

/// <summary>
/// Writes the grade passback of a decision into the decision's unit of work: one outbox message per distinct line
/// item mapped to the attempt's credential version, and one to the credential's own line item when it has one (on the
/// teacher's LMS), so each line item is sent and retried on its own.
/// </summary>
public sealed class GradePassback(AppDbContext db, Outbox.Outbox outbox)
{
    public const string Kind = "grade.passback";

    public async Task<int> EnqueueAsync(Attempt attempt, AttemptDecision decision, CancellationToken cancellationToken)
    {
        var lineItems = await db.AssignmentMappings.AsNoTracking()
            .Where(m => m.TenantId == attempt.TenantId && m.CredentialVersionId == attempt.CredentialVersionId && m.LineItemUrl != null)
            .Select(m => m.LineItemUrl!)
            .Distinct()
            .ToListAsync(cancellationToken);
        var own = await db.CredentialLineItems.AsNoTracking()
            .Where(l => l.TenantId == attempt.TenantId && l.CredentialId == attempt.CredentialId
                && db.People.Any(p => p.Id == attempt.TeacherId && p.PlatformId == l.PlatformId))
            .Select(l => l.LineItemUrl)
            .ToListAsync(cancellationToken);
        lineItems = [.. lineItems.Union(own, StringComparer.Ordinal)];
        foreach (var url in lineItems.Order(StringComparer.Ordinal))
        {
            outbox.Enqueue(decision.TenantId, Kind, new GradePassbackPayload(decision.Id, url));
        }

        return lineItems.Count;
    }
}
