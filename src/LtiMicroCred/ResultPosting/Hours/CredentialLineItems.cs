using LtiMicroCred.Access;
using LtiMicroCred.Audit;
using LtiMicroCred.Catalog;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Lti.Services.Ags;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.ResultPosting.Hours;

/// <summary>A credential's own line item as the mappings page shows it.</summary>
public sealed record CredentialLineItemView(string? LineItemUrl, string? CourseTitle, DateTimeOffset? CreatedAt, LaunchCourseView? LaunchCourse);

public sealed class CredentialLineItemQueries(AppDbContext db)
{
    public async Task<CredentialLineItemView> GetAsync(Actor actor, Guid credentialId, Guid? launchCourseId, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var item = await db.CredentialLineItems.AsNoTracking().Where(l => l.CredentialId == credentialId && l.TenantId == actor.TenantId)
            .Join(db.Courses, l => l.CourseId, c => c.Id, (l, c) => new { l.LineItemUrl, c.Title, l.CreatedAt })
            .SingleOrDefaultAsync(cancellationToken);
        var launch = launchCourseId is { } id
            ? await db.Courses.AsNoTracking().Where(c => c.Id == id && c.TenantId == actor.TenantId)
                .Select(c => new LaunchCourseView(c.Id, c.Title, c.LineItemsUrl != null && c.LineItemsUrl != "")).SingleOrDefaultAsync(cancellationToken)
            : null;
        return new CredentialLineItemView(item?.LineItemUrl, item?.Title, item?.CreatedAt, launch);
    }
}

/// <summary>
/// A district admin, launched from the microcredential course, gives a credential a gradebook column of its own: an
/// AGS line item with resourceId = the credential's key, found or made (twice makes one). From then on every decision
/// on the credential also posts its score there (<see cref="GradePassback"/>). Audited.
/// </summary>
public sealed class CreateCredentialLineItem(AppDbContext db, AuditLog audit, IPlatformRegistry platforms, AgsClient ags, TimeProvider time)
{
    public const string Tag = "microcredential";

    public async Task HandleAsync(Actor actor, Guid credentialId, Guid? launchCourseId, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var credential = await db.Credentials.AsNoTracking().SingleOrDefaultAsync(c => c.Id == credentialId && c.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("That credential is not in your district's catalog.");
        if (await db.CredentialLineItems.AnyAsync(l => l.CredentialId == credentialId, cancellationToken))
        {
            throw new RuleViolationException($"“{credential.Title}” has its own gradebook column already.");
        }

        var course = await LaunchCourses.RequireWithGradeServicesAsync(db, actor, launchCourseId, "the microcredential course", cancellationToken);
        var platform = await platforms.GetAsync(course.PlatformId, cancellationToken)
            ?? throw new RuleViolationException("This course's LMS is disabled in the tool, so nothing can be posted there.");
        var scale = await db.ProgrammeSettings.AsNoTracking().Where(s => s.TenantId == actor.TenantId).Select(s => (GradeScale?)s.GradeScale).SingleOrDefaultAsync(cancellationToken) ?? GradeScale.RubricPoints;
        var maximum = 1d;
        if (scale == GradeScale.RubricPoints && credential.CurrentVersionId is { } versionId)
        {
            var definition = await db.CredentialVersions.AsNoTracking().Where(v => v.Id == versionId).Select(v => v.Definition).SingleAsync(cancellationToken);
            maximum = Math.Max(1, definition.Rubric.MaxTotal);
        }

        var lineItem = await LaunchCourses.FindOrCreateAsync(ags, platform, course.LineItemsUrl!,
            new LineItem { Label = credential.Title, ScoreMaximum = maximum, ResourceId = credential.Key, Tag = Tag }, cancellationToken);
        var now = time.GetUtcNow();
        var row = new CredentialLineItem
        {
            Id = Guid.NewGuid(), TenantId = actor.TenantId, CredentialId = credential.Id, PlatformId = course.PlatformId, CourseId = course.Id,
            LineItemUrl = lineItem.Id!, CreatedBy = actor.PersonId, CreatedAt = now,
        };
        db.CredentialLineItems.Add(row);
        audit.Record(actor, "credential.line-item-created", "credential", credential.Id, $"Gradebook column “{credential.Title}” in {course.Title}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A second click raced this one: the line item is the same (found by resourceId), and one row is kept.
            if (!await AnotherSavedAsync(credentialId))
            {
                throw;
            }
        }
    }

    private async Task<bool> AnotherSavedAsync(Guid credentialId)
    {
        db.ChangeTracker.Clear();
        return await db.CredentialLineItems.AnyAsync(l => l.CredentialId == credentialId);
    }
}
