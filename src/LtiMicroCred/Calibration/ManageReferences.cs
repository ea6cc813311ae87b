using Ganss.Xss;
using LtiMicroCred.Access;
using LtiMicroCred.Audit;
using LtiMicroCred.Catalog;
using LtiMicroCred.Evidence;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Calibration;

/// <summary>What a district admin enters for a reference: the evidence (plain text or HTML), up to a few links, and the agreed level per rubric criterion.</summary>
public sealed record ReferenceInput(string? Title, string? Evidence, IReadOnlyList<ReferenceLink> Links, IReadOnlyDictionary<string, int?> Levels);

/// <summary>
/// The district's reference submissions and calibration threshold, kept by district admins. Every change is audited,
/// since who counts as calibrated decides who may review.
/// </summary>
public sealed class ManageReferences(AppDbContext db, AuditLog audit, HtmlSanitizer sanitizer, TimeProvider time)
{
    public const int MaxEvidenceLength = 50_000;

    public async Task<Guid> AddAsync(Actor actor, Guid credentialId, ReferenceInput input, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var credential = await db.Credentials.AsNoTracking().SingleOrDefaultAsync(c => c.Id == credentialId && c.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("There is no such microcredential.");
        var versionId = credential.CurrentVersionId ?? throw new RuleViolationException("This microcredential has no published version yet, so it has no rubric to score.");
        var rubric = await RubricAsync(versionId, cancellationToken);
        var now = time.GetUtcNow();
        var reference = new ReferenceSubmission
        {
            Id = Guid.NewGuid(), TenantId = actor.TenantId, CredentialId = credential.Id, CredentialVersionId = versionId,
            Title = string.Empty, EvidenceHtml = string.Empty, CreatedBy = actor.PersonId, CreatedAt = now,
        };
        Apply(reference, rubric, input, now);
        db.ReferenceSubmissions.Add(reference);
        audit.Record(actor, "calibration.reference-added", "credential", credential.Id, $"Reference \"{reference.Title}\" added to {credential.Title}.");
        await db.SaveChangesAsync(cancellationToken);
        return reference.Id;
    }

    public async Task UpdateAsync(Actor actor, Guid referenceId, ReferenceInput input, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var reference = await FindAsync(actor, referenceId, cancellationToken);
        Apply(reference, await RubricAsync(reference.CredentialVersionId, cancellationToken), input, time.GetUtcNow());
        audit.Record(actor, "calibration.reference-changed", "credential", reference.CredentialId, $"Reference \"{reference.Title}\" changed.");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Takes a reference out of the exercise (or puts it back). Scores already given stay with it.</summary>
    public async Task SetActiveAsync(Actor actor, Guid referenceId, bool active, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var reference = await FindAsync(actor, referenceId, cancellationToken);
        if (reference.Active == active)
        {
            return;
        }

        reference.Active = active;
        reference.UpdatedAt = time.GetUtcNow();
        audit.Record(actor, active ? "calibration.reference-restored" : "calibration.reference-retired", "credential", reference.CredentialId,
            $"Reference \"{reference.Title}\" {(active ? "restored" : "retired")}.");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The weighted kappa a reviewer must reach (between 0 and 1); applies to exercises measured from now on.</summary>
    public async Task SetThresholdAsync(Actor actor, double? threshold, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        if (threshold is not { } value || double.IsNaN(value) || value < 0 || value > 1)
        {
            throw InvalidInputException.For("Threshold", "Give a threshold between 0 and 1, such as 0.6.");
        }

        var settings = await db.ProgrammeSettings.SingleOrDefaultAsync(s => s.TenantId == actor.TenantId, cancellationToken);
        if (settings is null)
        {
            settings = new ProgrammeSettings { TenantId = actor.TenantId };
            db.ProgrammeSettings.Add(settings);
        }

        var before = settings.CalibrationKappaThreshold;
        settings.CalibrationKappaThreshold = value;
        audit.Record(actor, "calibration.threshold-changed", "tenant", actor.TenantId, $"Calibration threshold changed from {before:0.00} to {value:0.00}.");
        await db.SaveChangesAsync(cancellationToken);
    }

    private void Apply(ReferenceSubmission reference, Rubric rubric, ReferenceInput input, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string>();
        var title = input.Title?.Trim() ?? string.Empty;
        if (title.Length is 0 or > 300)
        {
            errors["Title"] = "Give the reference a title of at most 300 characters.";
        }

        var html = Html(input.Evidence);
        if (html is null)
        {
            errors["Evidence"] = $"Describe the evidence (at most {MaxEvidenceLength} characters).";
        }

        var links = new List<ReferenceLink>();
        for (var i = 0; i < input.Links.Count; i++)
        {
            var link = input.Links[i];
            if (string.IsNullOrWhiteSpace(link.Url) && string.IsNullOrWhiteSpace(link.Title))
            {
                continue;
            }

            if (!Uri.TryCreate(link.Url?.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || link.Url.Length > 2048)
            {
                errors[$"link-{i + 1}"] = $"Link {i + 1} needs a web address starting with https://.";
                continue;
            }

            links.Add(new ReferenceLink(string.IsNullOrWhiteSpace(link.Title) ? url.Host : link.Title.Trim()[..Math.Min(link.Title.Trim().Length, 300)], url.ToString()));
        }

        IReadOnlyList<CriterionLevel> levels = [];
        try
        {
            levels = RubricOutcome.Validate(rubric, input.Levels);
        }
        catch (InvalidInputException invalid)
        {
            foreach (var (field, message) in invalid.Errors)
            {
                errors[field] = message;
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        reference.Title = title;
        reference.EvidenceHtml = html!;
        reference.Links = links;
        reference.AgreedLevels = levels;
        reference.AgreedOutcome = RubricOutcome.Of(rubric, levels);
        reference.UpdatedAt = now;
    }

    /// <summary>Plain text becomes encoded paragraphs; anything with markup is sanitized. Null when nothing is left.</summary>
    private string? Html(string? evidence)
    {
        if (string.IsNullOrWhiteSpace(evidence) || evidence.Length > MaxEvidenceLength)
        {
            return null;
        }

        var html = evidence.Contains('<', StringComparison.Ordinal) ? sanitizer.Sanitize(evidence) : PlainText.ToHtml(evidence);
        return string.IsNullOrWhiteSpace(html) ? null : html;
    }

    private async Task<ReferenceSubmission> FindAsync(Actor actor, Guid referenceId, CancellationToken cancellationToken) =>
        await db.ReferenceSubmissions.SingleOrDefaultAsync(r => r.Id == referenceId && r.TenantId == actor.TenantId, cancellationToken)
        ?? throw new NotFoundException("There is no such reference submission.");

    private async Task<Rubric> RubricAsync(Guid versionId, CancellationToken cancellationToken) =>
        (await db.CredentialVersions.AsNoTracking().Where(v => v.Id == versionId).Select(v => v.Definition).SingleAsync(cancellationToken)).Rubric;
}
