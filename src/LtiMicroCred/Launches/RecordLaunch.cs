using LtiMicroCred.Lti.Roles;
using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Launches;

public sealed record RecordLaunchCommand(
    Guid PlatformId,
    string Subject,
    string Name,
    string? GivenName,
    string? FamilyName,
    string? Email,
    string? ContextId,
    string? ContextTitle,
    string? ContextLabel,
    IReadOnlyList<LtiRole> LtiRoles);

/// <summary>Who is using the tool after a launch, and where: what the pages need to greet and authorize them.</summary>
public sealed record LaunchSession(
    Guid TenantId,
    Guid PersonId,
    string PersonName,
    Guid? CourseId,
    string? CourseTitle,
    ProductRoles Roles);

/// <summary>Upserts the person, the course and their enrollment from a validated launch.</summary>
public sealed class RecordLaunch(AppDbContext db, TimeProvider timeProvider)
{
    public async Task<LaunchSession> HandleAsync(RecordLaunchCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await UpsertAsync(command, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two first launches of the same person or course raced on the unique keys: the other one won, so
            // the rows exist now and a second pass updates them.
            db.ChangeTracker.Clear();
            return await UpsertAsync(command, cancellationToken);
        }
    }

    private async Task<LaunchSession> UpsertAsync(RecordLaunchCommand command, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var platform = await db.Platforms.AsNoTracking().SingleAsync(p => p.Id == command.PlatformId, cancellationToken);
        var person = await db.People.SingleOrDefaultAsync(p => p.PlatformId == command.PlatformId && p.Subject == command.Subject, cancellationToken);
        if (person is null)
        {
            person = new Person
            {
                Id = Guid.NewGuid(),
                TenantId = platform.TenantId,
                PlatformId = platform.Id,
                Subject = command.Subject,
                Name = command.Name,
                CreatedAt = now,
            };
            db.People.Add(person);
        }

        person.Name = command.Name;
        person.GivenName = command.GivenName;
        person.FamilyName = command.FamilyName;
        person.Email = command.Email ?? person.Email;
        person.LastLaunchAt = now;

        var roles = RoleMap.FromLti(command.LtiRoles);
        Course? course = null;
        if (command.ContextId is { } contextId)
        {
            course = await db.Courses.SingleOrDefaultAsync(c => c.PlatformId == command.PlatformId && c.ContextId == contextId, cancellationToken);
            if (course is null)
            {
                course = new Course
                {
                    Id = Guid.NewGuid(),
                    TenantId = platform.TenantId,
                    PlatformId = platform.Id,
                    ContextId = contextId,
                    Title = command.ContextTitle ?? command.ContextLabel ?? contextId,
                    CreatedAt = now,
                };
                db.Courses.Add(course);
            }

            course.Title = command.ContextTitle ?? command.ContextLabel ?? course.Title;
            course.Label = command.ContextLabel;

            var ltiRoles = string.Join(' ', command.LtiRoles.Select(r => r.Uri));
            var enrollment = await db.Enrollments.SingleOrDefaultAsync(e => e.PersonId == person.Id && e.CourseId == course.Id, cancellationToken);
            if (enrollment is null)
            {
                db.Enrollments.Add(new Enrollment { PersonId = person.Id, CourseId = course.Id, LtiRoles = ltiRoles, Roles = roles, UpdatedAt = now });
            }
            else
            {
                enrollment.LtiRoles = ltiRoles;
                enrollment.Roles = roles;
                enrollment.UpdatedAt = now;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return new LaunchSession(platform.TenantId, person.Id, person.Name, course?.Id, course?.Title, roles);
    }
}
