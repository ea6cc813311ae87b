using LtiMicroCred.Access;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Evidence;

public sealed record MapAssignmentCommand(Guid CredentialId, string CriterionKey, string CourseId, string AssignmentId, string? AssignmentName, string? LineItemUrl);

/// <summary>
/// A district admin links a submission criterion of a credential's current version to an LMS assignment, so the
/// teacher's submission there becomes their evidence. One assignment serves one criterion of one version; a
/// criterion has at most one assignment (mapping it again moves it).
/// </summary>
public sealed class MapAssignment(AppDbContext db, TimeProvider time)
{
    public async Task<Guid> HandleAsync(Actor actor, MapAssignmentCommand command, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var versionId = await db.Credentials.AsNoTracking()
            .Where(c => c.Id == command.CredentialId && c.TenantId == actor.TenantId)
            .Select(c => c.CurrentVersionId)
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("There is no such microcredential in your district.");
        var definition = await db.CredentialVersions.AsNoTracking().Where(v => v.Id == versionId).Select(v => v.Definition).SingleAsync(cancellationToken);
        if (definition.Criterion(command.CriterionKey) is null)
        {
            throw InvalidInputException.For("CriterionKey", "This microcredential has no such submission criterion.");
        }

        var courseId = Required(command.CourseId, "CourseId", "the course");
        var assignmentId = Required(command.AssignmentId, "AssignmentId", "the assignment");
        var taken = await db.AssignmentMappings.AsNoTracking()
            .SingleOrDefaultAsync(m => m.TenantId == actor.TenantId && m.CourseId == courseId && m.AssignmentId == assignmentId, cancellationToken);
        if (taken is not null && (taken.CredentialVersionId != versionId || taken.CriterionKey != command.CriterionKey))
        {
            throw new RuleViolationException("This assignment already serves another submission criterion. Unlink it there first.");
        }

        var mapping = await db.AssignmentMappings.SingleOrDefaultAsync(m => m.CredentialVersionId == versionId && m.CriterionKey == command.CriterionKey, cancellationToken);
        if (mapping is null)
        {
            mapping = new AssignmentMapping
            {
                Id = Guid.NewGuid(),
                TenantId = actor.TenantId,
                CredentialVersionId = versionId,
                CriterionKey = command.CriterionKey,
                CourseId = courseId,
                AssignmentId = assignmentId,
                CreatedAt = time.GetUtcNow(),
            };
            db.AssignmentMappings.Add(mapping);
        }

        (mapping.CourseId, mapping.AssignmentId) = (courseId, assignmentId);
        mapping.AssignmentName = command.AssignmentName is { Length: > 0 } name ? name[..Math.Min(name.Length, 300)] : null;
        mapping.LineItemUrl = command.LineItemUrl ?? mapping.LineItemUrl;
        await db.SaveChangesAsync(cancellationToken);
        return mapping.Id;
    }

    private static string Required(string? value, string field, string what) =>
        string.IsNullOrWhiteSpace(value) || value.Length > 100 ? throw InvalidInputException.For(field, $"Give {what}'s id in the LMS.") : value.Trim();
}

public sealed record CriterionMapping(string CriterionKey, string CriterionTitle, AssignmentMapping? Mapping);

public sealed record CredentialMappings(Guid CredentialId, string CredentialKey, string CredentialTitle, int VersionNumber, IReadOnlyList<CriterionMapping> Criteria);

public sealed record LmsAssignment(string Id, string Name);

/// <summary>What the mapping page shows, and the Canvas course's assignments to choose from (as the admin's Canvas user).</summary>
public sealed class AssignmentMappingQueries(AppDbContext db, CanvasAccess.CanvasUserClients canvas)
{
    public async Task<CredentialMappings> ForCredentialAsync(Actor actor, string credentialKey, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var row = await (
            from c in db.Credentials.AsNoTracking()
            join v in db.CredentialVersions.AsNoTracking() on c.CurrentVersionId equals v.Id
            where c.TenantId == actor.TenantId && c.Key == credentialKey
            select new { c.Id, c.Key, c.Title, VersionId = v.Id, v.Number, v.Definition })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("There is no such microcredential in your district.");
        var mappings = await db.AssignmentMappings.AsNoTracking().Where(m => m.CredentialVersionId == row.VersionId).ToListAsync(cancellationToken);
        return new CredentialMappings(row.Id, row.Key, row.Title, row.Number,
            row.Definition.Criteria.Select(c => new CriterionMapping(c.Key, c.Title, mappings.FirstOrDefault(m => m.CriterionKey == c.Key))).ToList());
    }

    /// <summary>
    /// The course's assignments through the admin's own Canvas connection. Throws the Canvas client's
    /// CanvasAuthorizationRequiredException when they have not connected, and CanvasNotConfiguredException when the
    /// district has no developer key: the page offers the way forward for each.
    /// </summary>
    public async Task<IReadOnlyList<LmsAssignment>> CanvasAssignmentsAsync(Actor actor, long courseId, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var client = await canvas.ForPersonAsync(actor.PersonId, cancellationToken);
        var list = new List<LmsAssignment>();
        await foreach (var assignment in client.ListAssignmentsAsync(courseId, cancellationToken))
        {
            list.Add(new LmsAssignment(assignment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), assignment.Name ?? $"Assignment {assignment.Id}"));
        }

        return list;
    }
}
