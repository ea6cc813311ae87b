using LtiMicroCred.Catalog;
using LtiMicroCred.Reviews;

namespace LtiMicroCred.Calibration;

/// <summary>A level on one rubric criterion (0-based index into the rubric's levels).</summary>
public sealed record CriterionLevel(string CriterionKey, int Level);

public sealed record ReferenceLink(string Title, string Url);

/// <summary>
/// A reference submission of the calibration exercise (Arkansas inter-rater reliability): evidence the district's
/// review committee has scored together, with the agreed level on every rubric criterion of the version it belongs to.
/// Retired references leave the exercise but keep their history.
/// </summary>
public sealed class ReferenceSubmission
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid CredentialId { get; set; }

    /// <summary>The version whose rubric the reference is scored on.</summary>
    public Guid CredentialVersionId { get; set; }

    public required string Title { get; set; }

    /// <summary>The evidence as sanitized HTML (what the reviewer reads).</summary>
    public required string EvidenceHtml { get; set; }

    public IReadOnlyList<ReferenceLink> Links { get; set; } = [];

    public IReadOnlyList<CriterionLevel> AgreedLevels { get; set; } = [];

    /// <summary>The outcome the agreed levels lead to under the rubric's passing rule.</summary>
    public ReviewOutcome AgreedOutcome { get; set; }

    public bool Active { get; set; } = true;

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One reviewer's levels on one reference. A retake deletes them and the reviewer scores again.</summary>
public sealed class CalibrationScore
{
    public Guid Id { get; set; }

    public Guid TenantId { get; set; }

    public Guid ReviewerId { get; set; }

    public Guid ReferenceId { get; set; }

    public IReadOnlyList<CriterionLevel> Levels { get; set; } = [];

    public DateTimeOffset SubmittedAt { get; set; }
}

/// <summary>The outcome a set of levels leads to under a rubric's <see cref="PassingRule"/>.</summary>
public static class RubricOutcome
{
    public static ReviewOutcome Of(Rubric rubric, IReadOnlyCollection<CriterionLevel> levels)
    {
        var byKey = levels.ToDictionary(l => l.CriterionKey, l => l.Level, StringComparer.Ordinal);
        var chosen = rubric.Criteria.Select(c => byKey.TryGetValue(c.Key, out var level) ? level : -1).ToList();
        if (chosen.Any(l => l < rubric.Passing.MinimumLevel))
        {
            return ReviewOutcome.NotYet;
        }

        var total = chosen.Sum(l => l >= 0 && l < rubric.Levels.Count ? rubric.Levels[l].Points : 0);
        return rubric.Passing.MinimumTotal is { } minimum && total < minimum ? ReviewOutcome.NotYet : ReviewOutcome.Pass;
    }

    /// <summary>Checks one level per rubric criterion, each within the levels; the errors name the radio group.</summary>
    public static IReadOnlyList<CriterionLevel> Validate(Rubric rubric, IReadOnlyDictionary<string, int?> levels)
    {
        var errors = new Dictionary<string, string>();
        var result = new List<CriterionLevel>();
        foreach (var criterion in rubric.Criteria)
        {
            if (levels.GetValueOrDefault(criterion.Key) is { } level && level >= 0 && level < rubric.Levels.Count)
            {
                result.Add(new CriterionLevel(criterion.Key, level));
            }
            else
            {
                errors["level-" + criterion.Key] = $"Choose a level for \"{criterion.Title}\".";
            }
        }

        return errors.Count > 0 ? throw new InvalidInputException(errors) : result;
    }
}
