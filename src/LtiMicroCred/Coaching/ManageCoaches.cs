using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Audit;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Coaching;

/// <summary>A coach for one teacher, for one credential, or (with neither) for every teacher of the school.</summary>
public sealed record CoachAssignmentInput(Guid? CoachId, Guid? TeacherId, Guid? CredentialId, Guid? SchoolId);

/// <summary>
/// Assigning coaches: a district admin anywhere in the district, a principal only within the schools they lead (for
/// a teacher of that school, a credential at that school, or the whole school). Audited.
/// </summary>
public sealed class ManageCoaches(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task<Guid> AssignAsync(Actor actor, CoachAssignmentInput input, CancellationToken cancellationToken)
    {
        RequireAssigner(actor);
        if (input.CoachId is not { } coachId || !await db.People.AnyAsync(p => p.Id == coachId && p.TenantId == actor.TenantId, cancellationToken))
        {
            throw InvalidInputException.For("CoachId", "Choose the coach.");
        }

        if (input.TeacherId is not null && input.CredentialId is not null)
        {
            throw InvalidInputException.For("Scope", "Assign the coach to a teacher or to a microcredential, not both at once.");
        }

        if (input.SchoolId is { } schoolId)
        {
            if (!await db.Schools.AnyAsync(s => s.Id == schoolId && s.TenantId == actor.TenantId, cancellationToken))
            {
                throw InvalidInputException.For("SchoolId", "Choose one of the district's schools.");
            }

            if (!actor.LeadsSchool(schoolId))
            {
                throw new ForbiddenException("You can assign coaches only within the schools you lead.");
            }
        }
        else if (!actor.IsDistrictAdmin)
        {
            throw InvalidInputException.For("SchoolId", "Choose the school the assignment is for.");
        }
        else if (input.TeacherId is null && input.CredentialId is null)
        {
            throw InvalidInputException.For("Scope", "Choose a teacher, a microcredential or a school for the coach.");
        }

        if (input.TeacherId is { } teacherId)
        {
            if (teacherId == coachId)
            {
                throw InvalidInputException.For("TeacherId", "A teacher cannot be their own coach.");
            }

            var known = input.SchoolId is { } school
                ? await db.SchoolMemberships.AnyAsync(m => m.PersonId == teacherId && m.SchoolId == school, cancellationToken)
                : await db.People.AnyAsync(p => p.Id == teacherId && p.TenantId == actor.TenantId, cancellationToken);
            if (!known)
            {
                throw InvalidInputException.For("TeacherId", input.SchoolId is null ? "Choose one of the district's teachers." : "Choose a teacher of that school.");
            }
        }

        if (input.CredentialId is { } credentialId && !await db.Credentials.AnyAsync(c => c.Id == credentialId && c.TenantId == actor.TenantId, cancellationToken))
        {
            throw InvalidInputException.For("CredentialId", "Choose one of the district's microcredentials.");
        }

        var assignment = new CoachAssignment
        {
            Id = Guid.NewGuid(), TenantId = actor.TenantId, CoachId = coachId, TeacherId = input.TeacherId, CredentialId = input.CredentialId,
            SchoolId = input.SchoolId, AssignedBy = actor.PersonId, AssignedAt = time.GetUtcNow(),
        };
        db.CoachAssignments.Add(assignment);
        audit.Record(actor, "coach.assigned", "person", coachId, Describe(assignment));
        await db.SaveChangesAsync(cancellationToken);
        return assignment.Id;
    }

    public async Task RemoveAsync(Actor actor, Guid assignmentId, CancellationToken cancellationToken)
    {
        RequireAssigner(actor);
        var assignment = await db.CoachAssignments.SingleOrDefaultAsync(a => a.Id == assignmentId && a.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("There is no such coach assignment.");
        if (!(actor.IsDistrictAdmin || (assignment.SchoolId is { } school && actor.PrincipalOf.Contains(school))))
        {
            throw new ForbiddenException("You can remove coach assignments only within the schools you lead.");
        }

        db.CoachAssignments.Remove(assignment);
        audit.Record(actor, "coach.unassigned", "person", assignment.CoachId, Describe(assignment));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The assignments that make someone a coach of this attempt's teacher (never the teacher themself).</summary>
    internal static IQueryable<CoachAssignment> For(AppDbContext db, Attempt attempt) =>
        db.CoachAssignments.Where(a => a.TenantId == attempt.TenantId && a.CoachId != attempt.TeacherId
            && (a.SchoolId == null || a.SchoolId == attempt.SchoolId)
            && (a.TeacherId == attempt.TeacherId || a.CredentialId == attempt.CredentialId || (a.TeacherId == null && a.CredentialId == null && a.SchoolId != null)));

    internal static void RequireAssigner(Actor actor)
    {
        if (!actor.IsDistrictAdmin && actor.PrincipalOf.Count == 0)
        {
            throw new ForbiddenException("Only principals and district administrators assign coaches.");
        }
    }

    private static string Describe(CoachAssignment a) =>
        a.TeacherId is not null ? "Coach for a teacher." : a.CredentialId is not null ? "Coach for a microcredential." : "Coach for the teachers of a school.";
}
