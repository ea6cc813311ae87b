using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Evidence;

public sealed record EvidencePlacement(string CredentialKey, string CredentialTitle, string CriterionKey, string CriterionTitle, double ScoreMaximum);

/// <summary>
/// Mapping by deep linking: a course designer places one graded assignment per submission criterion. The placed link
/// carries the credential and criterion as custom parameters, with Canvas's substitution variables for the course and
/// assignment ids, so the first launch of the link tells the tool which assignment serves which criterion.
/// </summary>
public sealed class EvidencePlacements(AppDbContext db)
{
    public const string ViewParameter = "mc_view";
    public const string EvidenceView = "evidence";
    public const string CredentialParameter = "mc_credential";
    public const string CriterionParameter = "mc_criterion";
    public const string CanvasCourseParameter = "canvas_course_id";
    public const string CanvasAssignmentParameter = "canvas_assignment_id";

    public static string KeyOf(string credentialKey, string criterionKey) => $"evidence:{credentialKey}:{criterionKey}";

    public static IReadOnlyDictionary<string, string> CustomFor(string credentialKey, string criterionKey) => new Dictionary<string, string>
    {
        [ViewParameter] = EvidenceView,
        [CredentialParameter] = credentialKey,
        [CriterionParameter] = criterionKey,
        [CanvasCourseParameter] = "$Canvas.course.id",
        [CanvasAssignmentParameter] = "$Canvas.assignment.id",
    };

    /// <summary>Every submission criterion of the district's current catalog, in catalog order.</summary>
    public async Task<IReadOnlyList<EvidencePlacement>> ListAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var rows = await (
            from c in db.Credentials.AsNoTracking()
            join v in db.CredentialVersions.AsNoTracking() on c.CurrentVersionId equals v.Id
            where c.TenantId == tenantId && !c.Retired
            orderby c.Title
            select new { c.Key, c.Title, v.Definition })
            .ToListAsync(cancellationToken);
        return rows.SelectMany(r => r.Definition.Criteria.Select(k =>
            new EvidencePlacement(r.Key, r.Title, k.Key, k.Title, r.Definition.Rubric.MaxTotal > 0 ? r.Definition.Rubric.MaxTotal : 1))).ToList();
    }
}

/// <summary>What a launch of a placed evidence link says about itself (from the LMS's signed message).</summary>
public sealed record PlacedLinkLaunch(Guid TenantId, string CredentialKey, string CriterionKey, string CourseId, string AssignmentId, string? AssignmentName, string? LineItemUrl);

/// <summary>
/// Records, at the launch of a placed evidence link, which LMS assignment serves which criterion: the first launch
/// maps it; later launches only fill in what was missing (the line item). A link whose assignment already serves
/// another criterion is left alone: the district admin resolves that on the mapping page.
/// </summary>
public sealed class LinkAssignmentFromLaunch(AppDbContext db, TimeProvider time)
{
    /// <summary>The credential's id when it is in the district's catalog, whether or not a mapping was recorded.</summary>
    public async Task<Guid?> HandleAsync(PlacedLinkLaunch launch, CancellationToken cancellationToken)
    {
        var credential = await db.Credentials.AsNoTracking()
            .Where(c => c.TenantId == launch.TenantId && c.Key == launch.CredentialKey)
            .Select(c => new { c.Id, c.CurrentVersionId })
            .SingleOrDefaultAsync(cancellationToken);
        if (credential?.CurrentVersionId is not { } versionId)
        {
            return null;
        }

        var existing = await db.AssignmentMappings.AsNoTracking()
            .Where(m => m.TenantId == launch.TenantId && m.CourseId == launch.CourseId && m.AssignmentId == launch.AssignmentId)
            .Select(m => new { m.Id, m.CriterionKey, m.LineItemUrl })
            .SingleOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            if (existing.LineItemUrl is null && launch.LineItemUrl is not null && existing.CriterionKey == launch.CriterionKey)
            {
                await db.AssignmentMappings.Where(m => m.Id == existing.Id && m.LineItemUrl == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.LineItemUrl, launch.LineItemUrl), cancellationToken);
            }

            return credential.Id;
        }

        // The cheap check first: a criterion already served by another assignment (a second section) needs no more.
        if (await db.AssignmentMappings.AnyAsync(m => m.CredentialVersionId == versionId && m.CriterionKey == launch.CriterionKey, cancellationToken))
        {
            return credential.Id;
        }

        var definition = await db.CredentialVersions.AsNoTracking().Where(v => v.Id == versionId).Select(v => v.Definition).SingleAsync(cancellationToken);
        if (definition.Criterion(launch.CriterionKey) is null)
        {
            return credential.Id;
        }

        db.AssignmentMappings.Add(new AssignmentMapping
        {
            Id = Guid.NewGuid(),
            TenantId = launch.TenantId,
            CredentialVersionId = versionId,
            CriterionKey = launch.CriterionKey,
            CourseId = launch.CourseId,
            AssignmentId = launch.AssignmentId,
            AssignmentName = launch.AssignmentName is { Length: > 300 } longName ? longName[..300] : launch.AssignmentName,
            LineItemUrl = launch.LineItemUrl,
            CreatedAt = time.GetUtcNow(),
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two first launches of the same link raced on the unique keys; the other one recorded it.
            db.ChangeTracker.Clear();
        }

        return credential.Id;
    }
}
