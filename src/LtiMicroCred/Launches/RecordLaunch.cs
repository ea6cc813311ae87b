using LtiMicroCred.Lti.Roles;
using LtiMicroCred.LtiStorage;
using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using LtiMicroCred.Schools;
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
    IReadOnlyList<LtiRole> LtiRoles)
{
    /// <summary>The context's AGS line items URL, when the launch carried the AGS claim.</summary>
    public string? LineItemsUrl { get; init; }

    /// <summary>The context's NRPS memberships URL, when the launch carried the NRPS claim.</summary>
    public string? MembershipsUrl { get; init; }

    /// <summary>The person's Canvas user id, when the launch came from a Canvas that substituted $Canvas.user.id.</summary>
    public long? CanvasUserId { get; init; }

    /// <summary>The course's Canvas id, when the launch came from a Canvas that substituted $Canvas.course.id.</summary>
    public long? CanvasCourseId { get; init; }

    /// <summary>The launch's custom parameters; a school alias can match one of them (docs: README, "Roles").</summary>
    public IReadOnlyDictionary<string, string> Custom { get; init; } = new Dictionary<string, string>();
}

/// <summary>Who is using the tool after a launch, and where: what the pages need to greet and authorize them.</summary>
public sealed record LaunchSession(
    Guid TenantId,
    Guid PersonId,
    string PersonName,
    Guid? CourseId,
    string? CourseTitle,
    ProductRoles Roles);

/// <summary>
/// Upserts the person, the course and their enrollment from a validated launch. A repeat launch that brings nothing
/// new writes nothing: the names, roles and course title are compared first, and the last-launch time is kept to
/// within <see cref="LastLaunchResolution"/>. On a server database the busy path (a person and course seen before) is
/// one read: the person, the course, their enrollment and the membership of the school the launch names, joined on
/// their keys (school aliases come from <see cref="SchoolAliasCache"/>). On SQLite, and on a first launch, it is one
/// indexed read per row (see <see cref="AppDbContext.IsInProcess"/>).
/// </summary>
public sealed class RecordLaunch(AppDbContext db, CachedPlatformRegistry platforms, SchoolAliasCache aliases, TimeProvider timeProvider)
{
    public static readonly TimeSpan LastLaunchResolution = TimeSpan.FromMinutes(15);

    private static readonly PerModelQuery<Func<AppDbContext, Guid, string, CancellationToken, Task<Person?>>> FindPerson = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, Guid platformId, string subject, CancellationToken _) =>
            db.People.SingleOrDefault(p => p.PlatformId == platformId && p.Subject == subject)));

    private static readonly PerModelQuery<Func<AppDbContext, Guid, string, CancellationToken, Task<Course?>>> FindCourse = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, Guid platformId, string contextId, CancellationToken _) =>
            db.Courses.SingleOrDefault(c => c.PlatformId == platformId && c.ContextId == contextId)));

    private static readonly PerModelQuery<Func<AppDbContext, Guid, Guid, CancellationToken, Task<Enrollment?>>> FindEnrollment = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, Guid personId, Guid courseId, CancellationToken _) =>
            db.Enrollments.SingleOrDefault(e => e.PersonId == personId && e.CourseId == courseId)));

    // A course names one school (nearly always), so that case is compiled too.
    private static readonly PerModelQuery<Func<AppDbContext, Guid, Guid, CancellationToken, Task<SchoolMembership?>>> FindMembership = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, Guid personId, Guid schoolId, CancellationToken _) =>
            db.SchoolMemberships.SingleOrDefault(m => m.PersonId == personId && m.SchoolId == schoolId)));

    // The busy path in one round trip: every launch pays each round trip's latency, and under load on a server
    // database that latency, not the indexed reads, is most of a launch's time. No row means the person or the course
    // is new; the enrollment and the membership may be missing (left joins). Guid.Empty matches no school.
    private static readonly PerModelQuery<Func<AppDbContext, Guid, string, string, Guid, CancellationToken, Task<KnownRows?>>> FindKnown = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, Guid platformId, string subject, string contextId, Guid schoolId, CancellationToken _) =>
            (from p in db.People
             where p.PlatformId == platformId && p.Subject == subject
             from c in db.Courses
             where c.PlatformId == platformId && c.ContextId == contextId
             from e in db.Enrollments.Where(e => e.PersonId == p.Id && e.CourseId == c.Id).DefaultIfEmpty()
             from m in db.SchoolMemberships.Where(m => m.PersonId == p.Id && m.SchoolId == schoolId).DefaultIfEmpty()
             select new KnownRows(p, c, e, m)).SingleOrDefault()));

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
        var tenantId = await platforms.GetTenantIdAsync(command.PlatformId, cancellationToken)
            ?? throw new InvalidOperationException("A launch was validated for a platform that is not registered.");
        var roles = RoleMap.FromLti(command.LtiRoles);
        var schoolRoles = roles & RoleScopes.School;
        IReadOnlyList<Guid> schoolIds = schoolRoles == ProductRoles.None ? [] : await aliases.MatchAsync(db, tenantId, command.Custom, cancellationToken);
        var known = command.ContextId is { } launchContext && !db.IsInProcess
            ? await FindKnown.For(db)(db, command.PlatformId, command.Subject, launchContext, schoolIds.Count == 1 ? schoolIds[0] : Guid.Empty, cancellationToken)
            : null;
        var person = known?.Person ?? await FindPerson.For(db)(db, command.PlatformId, command.Subject, cancellationToken);
        if (person is null)
        {
            person = new Person
            {
                Id = Guid.NewGuid(),
                TenantId = tenantId,
                PlatformId = command.PlatformId,
                Subject = command.Subject,
                Name = command.Name,
                CreatedAt = now,
                LastLaunchAt = now,
            };
            db.People.Add(person);
        }

        Set(person.Name, command.Name, v => person.Name = v);
        if (person.GivenName != command.GivenName || person.FamilyName != command.FamilyName)
        {
            // What the platform shares can shrink (privacy settings): a name it stops sending is not kept.
            person.GivenName = command.GivenName;
            person.FamilyName = command.FamilyName;
        }

        Set(person.Email, command.Email ?? person.Email, v => person.Email = v);
        if (command.CanvasUserId is { } canvasUserId && person.CanvasUserId != canvasUserId)
        {
            person.CanvasUserId = canvasUserId;
        }

        if (now - person.LastLaunchAt >= LastLaunchResolution)
        {
            person.LastLaunchAt = now;
        }

        Course? course = null;
        if (command.ContextId is { } contextId)
        {
            course = known?.Course ?? await FindCourse.For(db)(db, command.PlatformId, contextId, cancellationToken);
            var title = command.ContextTitle ?? command.ContextLabel ?? course?.Title ?? contextId;
            if (course is null)
            {
                course = new Course
                {
                    Id = Guid.NewGuid(),
                    TenantId = tenantId,
                    PlatformId = command.PlatformId,
                    ContextId = contextId,
                    Title = title,
                    CreatedAt = now,
                };
                db.Courses.Add(course);
            }

            var launched = course;
            Set(launched.Title, title, v => launched.Title = v);
            Set(launched.LineItemsUrl, command.LineItemsUrl, v => launched.LineItemsUrl = v);
            Set(launched.MembershipsUrl, command.MembershipsUrl, v => launched.MembershipsUrl = v);
            if (command.CanvasCourseId is { } canvasCourseId && launched.CanvasCourseId != canvasCourseId)
            {
                launched.CanvasCourseId = canvasCourseId;
            }
            if (launched.Label != command.ContextLabel)
            {
                launched.Label = command.ContextLabel;
            }

            var ltiRoles = string.Join(' ', command.LtiRoles.Select(r => r.Uri));
            var enrollment = known is not null
                ? known.Enrollment
                : db.Entry(person).State == EntityState.Added || db.Entry(course).State == EntityState.Added
                    ? null
                    : await FindEnrollment.For(db)(db, person.Id, course.Id, cancellationToken);
            if (enrollment is null)
            {
                db.Enrollments.Add(new Enrollment { PersonId = person.Id, CourseId = course.Id, LtiRoles = ltiRoles, Roles = roles, UpdatedAt = now });
            }
            else if (enrollment.LtiRoles != ltiRoles || enrollment.Roles != roles)
            {
                enrollment.LtiRoles = ltiRoles;
                enrollment.Roles = roles;
                enrollment.UpdatedAt = now;
            }
        }

        IReadOnlyList<SchoolMembership>? memberships = known is not null && schoolIds.Count == 1
            ? known.Membership is { } membership ? [membership] : []
            : null;
        await PlaceInSchoolsAsync(person, schoolRoles, schoolIds, memberships, now, cancellationToken);
        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        return new LaunchSession(tenantId, person.Id, person.Name, course?.Id, course?.Title, roles);
    }

    /// <summary>
    /// A launch from a school's course (its custom parameters match a school alias) makes the person a member of that
    /// school with the school-level part of their launch roles. It only ever adds: a membership an administrator or an
    /// import gave is theirs to change, and a role from another course at the same school stays (one person can be a
    /// learner in one course and an instructor in the next, and alternating launches must not flip the row).
    /// </summary>
    /// <param name="loaded">The person's memberships of those schools when already read, or null to read them.</param>
    private async Task PlaceInSchoolsAsync(Person person, ProductRoles schoolRoles, IReadOnlyList<Guid> schoolIds, IReadOnlyList<SchoolMembership>? loaded,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (schoolRoles == ProductRoles.None || schoolIds.Count == 0)
        {
            return;
        }

        var existing = loaded ?? (db.Entry(person).State == EntityState.Added
            ? []
            : schoolIds.Count == 1
                ? await FindMembership.For(db)(db, person.Id, schoolIds[0], cancellationToken) is { } one ? [one] : []
                : await db.SchoolMemberships.Where(m => m.PersonId == person.Id && schoolIds.Contains(m.SchoolId)).ToListAsync(cancellationToken));
        foreach (var schoolId in schoolIds)
        {
            var membership = existing.FirstOrDefault(m => m.SchoolId == schoolId);
            if (membership is null)
            {
                db.SchoolMemberships.Add(new SchoolMembership
                {
                    PersonId = person.Id, SchoolId = schoolId, Roles = schoolRoles, Source = MembershipSource.Launch, UpdatedAt = now,
                });
            }
            else if (membership.Source == MembershipSource.Launch && (membership.Roles & schoolRoles) != schoolRoles)
            {
                membership.Roles |= schoolRoles;
                membership.UpdatedAt = now;
            }
        }
    }

    private static void Set(string? current, string? value, Action<string> assign)
    {
        if (value is not null && !string.Equals(current, value, StringComparison.Ordinal))
        {
            assign(value);
        }
    }
}

/// <summary>The rows a repeat launch reads together: a person and course seen before, and what links them.</summary>
internal sealed record KnownRows(Person Person, Course Course, Enrollment? Enrollment, SchoolMembership? Membership);
