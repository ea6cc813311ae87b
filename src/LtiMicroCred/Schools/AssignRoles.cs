using LtiMicroCred.Access;
using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Schools;

/// <summary>
/// The roles to give a person. <paramref name="DistrictRoles"/> null leaves their district-wide roles as they are;
/// <paramref name="SchoolRoles"/> names only the schools to change (None removes the membership), so a form that
/// shows some schools leaves the others alone.
/// </summary>
public sealed record AssignRolesCommand(Guid PersonId, ProductRoles? DistrictRoles, IReadOnlyDictionary<Guid, ProductRoles> SchoolRoles);

/// <summary>
/// Who does what, decided by people: a district administrator sets anyone's district-wide roles and school
/// memberships; a principal gives or takes the teacher, peer-reviewer and coach roles at the schools they lead, for
/// people already at one of those schools (making or removing a principal, other schools and district-wide roles stay
/// with the district). What is set here is marked as given by an administrator, so a launch never changes it.
/// </summary>
public sealed class AssignRoles(AppDbContext db, TimeProvider timeProvider)
{
    public async Task HandleAsync(Actor actor, AssignRolesCommand command, CancellationToken cancellationToken)
    {
        if (!actor.IsDistrictAdmin && actor.PrincipalOf.Count == 0)
        {
            throw new ForbiddenException("Only a district administrator or a principal can change roles.");
        }

        var person = await db.People.SingleOrDefaultAsync(p => p.Id == command.PersonId && p.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("That person is not in your district.");
        var memberships = await db.SchoolMemberships.Where(m => m.PersonId == person.Id).ToListAsync(cancellationToken);
        if (!actor.IsDistrictAdmin && !memberships.Exists(m => actor.PrincipalOf.Contains(m.SchoolId)))
        {
            // Out of a principal's reach is the same as unknown to them.
            throw new NotFoundException("That person is not at a school you lead.");
        }

        var schoolIds = command.SchoolRoles.Keys.ToList();
        var known = await db.Schools.Where(s => s.TenantId == actor.TenantId && schoolIds.Contains(s.Id)).CountAsync(cancellationToken);
        if (known != schoolIds.Count)
        {
            throw new NotFoundException("A school in the form is not in your district.");
        }

        Validate(command);
        if (!actor.IsDistrictAdmin)
        {
            CheckPrincipalLimits(actor, person, memberships, command);
        }

        if (actor.PersonId == person.Id && person.AssignedRoles.HasFlag(ProductRoles.DistrictAdmin)
            && command.DistrictRoles is { } own && !own.HasFlag(ProductRoles.DistrictAdmin))
        {
            throw new RuleViolationException("You cannot remove your own district administrator role; ask another district administrator.");
        }

        var now = timeProvider.GetUtcNow();
        if (command.DistrictRoles is { } districtRoles)
        {
            person.AssignedRoles = districtRoles;
        }

        foreach (var (schoolId, roles) in command.SchoolRoles)
        {
            var membership = memberships.Find(m => m.SchoolId == schoolId);
            if (membership is null)
            {
                if (roles != ProductRoles.None)
                {
                    db.SchoolMemberships.Add(new SchoolMembership
                    {
                        PersonId = person.Id, SchoolId = schoolId, Roles = roles, Source = MembershipSource.Administrator, UpdatedAt = now,
                    });
                }
            }
            else if (roles == ProductRoles.None)
            {
                db.SchoolMemberships.Remove(membership);
            }
            else if (membership.Roles != roles)
            {
                membership.Roles = roles;
                membership.Source = MembershipSource.Administrator;
                membership.UpdatedAt = now;
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A launch placed the person in one of these schools between our read and this write.
            throw new RuleViolationException("This person's schools changed while you were editing. Reload the page and try again.");
        }
    }

    private static void Validate(AssignRolesCommand command)
    {
        var errors = new Dictionary<string, string>();
        if (command.DistrictRoles is { } district && (district & ~RoleScopes.District) != 0)
        {
            errors[nameof(command.DistrictRoles)] = "District-wide roles can be district administrator, coach or peer reviewer.";
        }

        if (command.SchoolRoles.Values.Any(r => (r & ~RoleScopes.School) != 0))
        {
            errors[nameof(command.SchoolRoles)] = "Roles at a school can be teacher, peer reviewer, coach or principal.";
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }
    }

    private static void CheckPrincipalLimits(Actor actor, Person person, List<SchoolMembership> memberships, AssignRolesCommand command)
    {
        if (command.DistrictRoles is { } district && district != person.AssignedRoles)
        {
            throw new ForbiddenException("Only a district administrator can change district-wide roles.");
        }

        foreach (var (schoolId, roles) in command.SchoolRoles)
        {
            var current = memberships.Find(m => m.SchoolId == schoolId)?.Roles ?? ProductRoles.None;
            if (roles == current)
            {
                continue;
            }

            if (!actor.PrincipalOf.Contains(schoolId))
            {
                throw new ForbiddenException("You can change roles only at the schools you lead.");
            }

            if (((roles ^ current) & ~RoleScopes.PrincipalMayAssign) != 0)
            {
                throw new ForbiddenException("Only a district administrator can make someone a principal or remove a principal.");
            }
        }
    }
}
