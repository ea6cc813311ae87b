using LtiMicroCred.Access;
using LtiMicroCred.Audit;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Lti.Services.Ags;
using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.ResultPosting.Hours;

/// <summary>The course the admin launched from, and whether its launch offered grade services (AGS).</summary>
public sealed record LaunchCourseView(Guid Id, string Title, bool HasGradeServices);

/// <summary>What the district admin sees: the PD course chosen (if any) and the course of this launch.</summary>
public sealed record HoursSettingsView(string? PdCourseTitle, string? LineItemUrl, DateTimeOffset? UpdatedAt, LaunchCourseView? LaunchCourse)
{
    public bool LaunchCourseIsPdCourse { get; init; }

    /// <summary>The Canvas column option; null until a PD course is chosen.</summary>
    public HoursColumnView? Column { get; init; }
}

/// <summary>Finds a course of the actor's tenant as its latest launch recorded it.</summary>
internal static class LaunchCourses
{
    public static async Task<Course> RequireWithGradeServicesAsync(AppDbContext db, Actor actor, Guid? launchCourseId, string purpose, CancellationToken cancellationToken)
    {
        if (launchCourseId is not { } courseId)
        {
            throw new RuleViolationException($"Open the tool from {purpose} in the LMS, then do this again: this launch came from no course.");
        }

        var course = await db.Courses.AsNoTracking().SingleOrDefaultAsync(c => c.Id == courseId && c.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("That course is not known to your district.");
        if (string.IsNullOrEmpty(course.LineItemsUrl))
        {
            throw new RuleViolationException($"The LMS did not offer its gradebook (Assignment and Grade Services) in this launch from “{course.Title}”, so the tool cannot add a column there. Ask your LMS administrator to allow the tool's grade services, then open the tool from {purpose} again.");
        }

        return course;
    }

    /// <summary>The platform's line item with this resourceId and tag, or a new one: running twice makes one line item.</summary>
    public static async Task<LineItem> FindOrCreateAsync(AgsClient ags, LtiPlatform platform, string lineItemsUrl, LineItem wanted, CancellationToken cancellationToken)
    {
        await foreach (var existing in ags.ListLineItemsAsync(platform, lineItemsUrl, new LineItemQuery(ResourceId: wanted.ResourceId, Tag: wanted.Tag), cancellationToken))
        {
            // A platform may ignore the filters: check them here too.
            if (existing.ResourceId == wanted.ResourceId && existing.Tag == wanted.Tag && existing.Id is not null)
            {
                return existing;
            }
        }

        var created = await ags.CreateLineItemAsync(platform, lineItemsUrl, wanted, cancellationToken);
        return created.Id is null ? throw new InvalidOperationException("The LMS made the line item but did not say its address.") : created;
    }
}

public sealed class HoursQueries(AppDbContext db, LtiMicroCred.CanvasAccess.CanvasUserClients canvas)
{
    public async Task<HoursSettingsView> GetAsync(Actor actor, Guid? launchCourseId, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var settings = await db.HoursSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == actor.TenantId, cancellationToken);
        var pdTitle = settings is null ? null : await db.Courses.AsNoTracking().Where(c => c.Id == settings.CourseId).Select(c => c.Title).SingleOrDefaultAsync(cancellationToken);
        var launch = launchCourseId is { } id
            ? await db.Courses.AsNoTracking().Where(c => c.Id == id && c.TenantId == actor.TenantId)
                .Select(c => new LaunchCourseView(c.Id, c.Title, c.LineItemsUrl != null && c.LineItemsUrl != "")).SingleOrDefaultAsync(cancellationToken)
            : null;
        HoursColumnView? column = null;
        if (settings is not null)
        {
            var canvasCourseId = await db.Courses.AsNoTracking().Where(c => c.Id == settings.CourseId).Select(c => c.CanvasCourseId).SingleOrDefaultAsync(cancellationToken);
            var reason = await HoursColumnRules.WhyNotAsync(canvas, canvasCourseId, actor.PersonId, cancellationToken);
            column = new HoursColumnView(settings.ColumnEnabled, reason is null, reason);
        }

        return new HoursSettingsView(pdTitle, settings?.LineItemUrl, settings?.UpdatedAt, launch)
        {
            LaunchCourseIsPdCourse = launch is not null && settings?.CourseId == launch.Id,
            Column = column,
        };
    }
}

/// <summary>
/// A district admin who launched from the district's PD course chooses it for in-service hours: the tool keeps the
/// course, its platform and its AGS line items URL, and finds or makes (by resourceId and tag, so twice makes one) the
/// "In-service hours" line item there. Audited.
/// </summary>
public sealed class UsePdCourseForHours(AppDbContext db, AuditLog audit, IPlatformRegistry platforms, AgsClient ags, TimeProvider time)
{
    public const string ResourceId = "ltimicrocred-in-service-hours";

    public const string Tag = "in-service-hours";

    public const string Label = "In-service hours";

    /// <summary>The line item's maximum: a teacher's total is posted out of it, and may exceed it.</summary>
    public const double ScoreMaximum = 100;

    public async Task HandleAsync(Actor actor, Guid? launchCourseId, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var course = await LaunchCourses.RequireWithGradeServicesAsync(db, actor, launchCourseId, "the district's PD course", cancellationToken);
        var platform = await platforms.GetAsync(course.PlatformId, cancellationToken)
            ?? throw new RuleViolationException("This course's LMS is disabled in the tool, so nothing can be posted there.");
        var lineItem = await LaunchCourses.FindOrCreateAsync(ags, platform, course.LineItemsUrl!,
            new LineItem { Label = Label, ScoreMaximum = ScoreMaximum, ResourceId = ResourceId, Tag = Tag }, cancellationToken);

        var settings = await db.HoursSettings.SingleOrDefaultAsync(s => s.TenantId == actor.TenantId, cancellationToken);
        if (settings is null)
        {
            settings = new HoursSettings { TenantId = actor.TenantId, LineItemsUrl = course.LineItemsUrl!, LineItemUrl = lineItem.Id! };
            db.HoursSettings.Add(settings);
        }

        if (settings.CourseId != course.Id && settings.ColumnEnabled)
        {
            // The column belongs to the old course: the admin turns it on again for this one.
            (settings.ColumnEnabled, settings.CanvasCourseId, settings.CanvasColumnId, settings.ColumnConnectedBy) = (false, null, null, null);
        }

        (settings.PlatformId, settings.CourseId, settings.LineItemsUrl, settings.LineItemUrl) = (course.PlatformId, course.Id, course.LineItemsUrl!, lineItem.Id!);
        settings.ScoreMaximum = lineItem.ScoreMaximum > 0 ? lineItem.ScoreMaximum : ScoreMaximum;
        (settings.UpdatedBy, settings.UpdatedAt) = (actor.PersonId, time.GetUtcNow());
        audit.Record(actor, "policy.changed", "district", actor.TenantId, $"PD course for in-service hours: {course.Title} ({course.ContextId})");
        await db.SaveChangesAsync(cancellationToken);
    }
}
