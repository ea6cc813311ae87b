using Hangfire;
using LtiMicroCred.Access;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Lti.Roles;
using LtiMicroCred.Lti.Services.Nrps;
using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Schools;

/// <summary>
/// Reads a course's roster from the LMS (NRPS, page by page) and records everyone in it as a launch would: the
/// person by their LMS subject, their enrollment with the roles the same table maps. So people can be given roles and
/// schools before they first open the tool. It only adds and updates; no one is deleted, and someone who left the
/// course keeps their enrollment as it was. A member the LMS lists as inactive keeps the row but loses its course roles.
/// Safe to run twice: the second run finds everything as the first left it and writes nothing.
/// </summary>
public sealed partial class SyncRosterJob(AppDbContext db, IPlatformRegistry platforms, NrpsClient nrps, TimeProvider timeProvider, ILogger<SyncRosterJob> logger)
{
    /// <summary>Members written per transaction: memory stays flat on a large course, and a retry redoes little.</summary>
    public const int BatchSize = 200;

    [AutomaticRetry(Attempts = 5)]
    public async Task<RosterSyncResult> RunAsync(Guid courseId, CancellationToken cancellationToken)
    {
        var course = await db.Courses.AsNoTracking().SingleOrDefaultAsync(c => c.Id == courseId, cancellationToken);
        if (course?.MembershipsUrl is null)
        {
            // Nothing to read: the course is gone or no launch gave its roster URL. A retry would not change that.
            LogNothingToSync(courseId);
            return new RosterSyncResult(0, 0, 0);
        }

        var platform = await platforms.GetAsync(course.PlatformId, cancellationToken)
            ?? throw new InvalidOperationException($"The platform of course {courseId} is not registered.");
        var result = new RosterSyncResult(0, 0, 0);
        var batch = new List<Member>(BatchSize);
        await foreach (var member in nrps.ListMembersAsync(platform, course.MembershipsUrl, cancellationToken: cancellationToken))
        {
            batch.Add(member);
            if (batch.Count == BatchSize)
            {
                result += await WriteAsync(course, batch, cancellationToken);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            result += await WriteAsync(course, batch, cancellationToken);
        }

        LogSynced(courseId, result.Members, result.PeopleCreated, result.EnrollmentsChanged);
        return result;
    }

    private async Task<RosterSyncResult> WriteAsync(Course course, List<Member> members, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        // A roster can list someone twice (one entry per role in some LMSs): their roles are merged.
        var byUser = members.GroupBy(m => m.UserId, StringComparer.Ordinal).ToList();
        var subjects = byUser.Select(g => g.Key).ToList();
        var people = await db.People.Where(p => p.PlatformId == course.PlatformId && subjects.Contains(p.Subject)).ToListAsync(cancellationToken);
        var personIds = people.Select(p => p.Id).ToList();
        var enrollments = await db.Enrollments.Where(e => e.CourseId == course.Id && personIds.Contains(e.PersonId)).ToListAsync(cancellationToken);
        int created = 0, changed = 0;
        foreach (var entries in byUser)
        {
            var member = entries.First();
            var person = people.Find(p => p.Subject == entries.Key);
            var name = DisplayName(member);
            if (person is null)
            {
                person = new Person
                {
                    Id = Guid.NewGuid(), TenantId = course.TenantId, PlatformId = course.PlatformId, Subject = entries.Key, Name = name,
                    GivenName = member.GivenName, FamilyName = member.FamilyName, Email = member.Email, CreatedAt = now, LastLaunchAt = now,
                };
                db.People.Add(person);
                created++;
            }
            else
            {
                // Only what the roster states replaces what a launch stored; a roster without names (privacy) keeps them.
                if (member.Name is { Length: > 0 } && person.Name != name)
                {
                    person.Name = name;
                }

                if (member.Email is { Length: > 0 } email && person.Email != email)
                {
                    person.Email = email;
                }
            }

            var enrollment = enrollments.Find(e => e.PersonId == person.Id);
            var ltiRoles = CombinedRoles(entries, enrollment);
            var roles = entries.Any(m => m.IsActive)
                ? RoleMap.FromLti(ltiRoles)
                : RoleMap.FromLti(ltiRoles.Where(r => r.Scope != LtiRoleScope.Context));
            var uris = string.Join(' ', ltiRoles.Select(r => r.Uri));
            if (enrollment is null)
            {
                db.Enrollments.Add(new Enrollment { PersonId = person.Id, CourseId = course.Id, LtiRoles = uris, Roles = roles, UpdatedAt = now });
                changed++;
            }
            else if (enrollment.Roles != roles || enrollment.LtiRoles != uris)
            {
                enrollment.Roles = roles;
                enrollment.LtiRoles = uris;
                enrollment.UpdatedAt = now;
                changed++;
            }
        }

        if (db.ChangeTracker.HasChanges())
        {
            // A launch that inserts the same person meanwhile makes this fail on the unique key; the job is retried
            // and then finds them.
            await db.SaveChangesAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        return new RosterSyncResult(byUser.Count, created, changed);
    }

    /// <summary>
    /// NRPS speaks for course roles only: the institution roles a launch recorded (a district administrator's) are
    /// kept, or a sync would take a district administrator's rights away until their next launch.
    /// </summary>
    private static List<LtiRole> CombinedRoles(IEnumerable<Member> entries, Enrollment? enrollment)
    {
        var launched = enrollment is null
            ? []
            : LtiRole.ParseAll(enrollment.LtiRoles.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(r => r.Scope != LtiRoleScope.Context);
        return entries.SelectMany(m => m.ParsedRoles).Where(r => r.Scope == LtiRoleScope.Context).Concat(launched)
            .DistinctBy(r => r.Uri).ToList();
    }

    private static string DisplayName(Member member) =>
        !string.IsNullOrWhiteSpace(member.Name) ? member.Name
        : string.Join(' ', new[] { member.GivenName, member.FamilyName }.Where(s => !string.IsNullOrWhiteSpace(s))) is { Length: > 0 } joined ? joined
        : member.UserId;

    [LoggerMessage(Level = LogLevel.Information, Message = "Roster of course {CourseId} synced: {Members} members, {PeopleCreated} people added, {EnrollmentsChanged} enrollments added or changed.")]
    private partial void LogSynced(Guid courseId, int members, int peopleCreated, int enrollmentsChanged);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Roster sync of course {CourseId} skipped: the course is unknown or has no memberships URL.")]
    private partial void LogNothingToSync(Guid courseId);
}

public sealed record RosterSyncResult(int Members, int PeopleCreated, int EnrollmentsChanged)
{
    public static RosterSyncResult operator +(RosterSyncResult a, RosterSyncResult b) =>
        new(a.Members + b.Members, a.PeopleCreated + b.PeopleCreated, a.EnrollmentsChanged + b.EnrollmentsChanged);
}

/// <summary>A district administrator asks for a course's roster to be read from the LMS; the job does the work.</summary>
public sealed class RequestRosterSync(AppDbContext db, IBackgroundJobClient jobs)
{
    /// <summary>Queues the sync and returns the job's id.</summary>
    public async Task<string> HandleAsync(Actor actor, Guid courseId, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var course = await db.Courses.AsNoTracking().Where(c => c.Id == courseId && c.TenantId == actor.TenantId)
            .Select(c => new { c.Id, c.MembershipsUrl }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("That course is not in your district.");
        if (course.MembershipsUrl is null)
        {
            throw new RuleViolationException("The LMS has not shared this course's roster with the tool yet. Open the tool from the course once, then try again.");
        }

        return jobs.Enqueue<SyncRosterJob>(job => job.RunAsync(course.Id, CancellationToken.None));
    }
}
