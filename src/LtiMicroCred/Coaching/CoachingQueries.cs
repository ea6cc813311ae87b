using LtiMicroCred.Access;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Coaching;

public sealed record NamedOption(Guid Id, string Name);

public sealed record CoachAssignmentRow(Guid Id, string CoachName, string? TeacherName, string? CredentialTitle, string? SchoolName, DateTimeOffset AssignedAt);

/// <summary>The coaches page: the assignments the actor may see and change, and what they may choose from.</summary>
public sealed record CoachesPage(IReadOnlyList<CoachAssignmentRow> Assignments, IReadOnlyList<NamedOption> People, IReadOnlyList<NamedOption> Teachers,
    IReadOnlyList<NamedOption> Credentials, IReadOnlyList<NamedOption> Schools, bool IsDistrictAdmin);

public sealed class CoachingQueries(AppDbContext db)
{
    private const int MaxOptions = 2000;

    public async Task<CoachesPage> CoachesAsync(Actor actor, CancellationToken cancellationToken)
    {
        ManageCoaches.RequireAssigner(actor);
        var led = actor.PrincipalOf.ToList();
        var all = actor.IsDistrictAdmin;
        var rows = await (
            from a in db.CoachAssignments.AsNoTracking()
            join c in db.People.AsNoTracking() on a.CoachId equals c.Id
            join t in db.People.AsNoTracking() on a.TeacherId equals t.Id into teacherJoin
            from t in teacherJoin.DefaultIfEmpty()
            join cr in db.Credentials.AsNoTracking() on a.CredentialId equals cr.Id into credentialJoin
            from cr in credentialJoin.DefaultIfEmpty()
            join s in db.Schools.AsNoTracking() on a.SchoolId equals s.Id into schoolJoin
            from s in schoolJoin.DefaultIfEmpty()
            where a.TenantId == actor.TenantId && (all || led.Contains(a.SchoolId ?? Guid.Empty))
            orderby c.Name
            select new CoachAssignmentRow(a.Id, c.Name, t == null ? null : t.Name, cr == null ? null : cr.Title, s == null ? null : s.Name, a.AssignedAt))
            .Take(1000)
            .ToListAsync(cancellationToken);
        var people = await db.People.AsNoTracking().Where(p => p.TenantId == actor.TenantId).OrderBy(p => p.Name)
            .Select(p => new NamedOption(p.Id, p.Name)).Take(MaxOptions).ToListAsync(cancellationToken);
        var teachers = all
            ? people
            : await (
                from m in db.SchoolMemberships.AsNoTracking()
                join p in db.People.AsNoTracking() on m.PersonId equals p.Id
                where led.Contains(m.SchoolId)
                orderby p.Name
                select new NamedOption(p.Id, p.Name))
                .Take(MaxOptions).ToListAsync(cancellationToken);
        var credentials = await db.Credentials.AsNoTracking().Where(c => c.TenantId == actor.TenantId && !c.Retired).OrderBy(c => c.Title)
            .Select(c => new NamedOption(c.Id, c.Title)).ToListAsync(cancellationToken);
        var schoolOptions = await db.Schools.AsNoTracking().Where(s => s.TenantId == actor.TenantId && (all || led.Contains(s.Id))).OrderBy(s => s.Name)
            .Select(s => new NamedOption(s.Id, s.Name)).ToListAsync(cancellationToken);
        return new CoachesPage(rows, people, teachers.DistinctBy(t => t.Id).ToList(), credentials, schoolOptions, all);
    }
}
