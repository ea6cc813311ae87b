using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Access;

/// <summary>
/// Who is acting, as the directory knows them: their tenant, every product role they hold (district-wide roles given
/// by an administrator, roles from their launches, roles at their schools) and their schools. Every use case takes
/// one and checks its rule against it; nothing is decided from what a page or a launch claims alone.
/// </summary>
public sealed record Actor(Guid PersonId, Guid TenantId, string Name, ProductRoles Roles, IReadOnlySet<Guid> Schools, IReadOnlySet<Guid> PrincipalOf)
{
    public bool IsDistrictAdmin => Roles.HasFlag(ProductRoles.DistrictAdmin);

    public bool Has(ProductRoles role) => (Roles & role) == role;

    /// <summary>A principal of the school, or a district admin (who acts for every school of the tenant).</summary>
    public bool LeadsSchool(Guid? schoolId) => IsDistrictAdmin || (schoolId is { } id && PrincipalOf.Contains(id));

    public void RequireDistrictAdmin()
    {
        if (!IsDistrictAdmin)
        {
            throw new ForbiddenException("Only a district administrator can do this.");
        }
    }
}

/// <summary>Loads the <see cref="Actor"/> for a signed-in person, from the database, on every request.</summary>
public sealed class ActorDirectory(AppDbContext db)
{
    public async Task<Actor> LoadAsync(Guid personId, Guid tenantId, CancellationToken cancellationToken)
    {
        var person = await db.People.AsNoTracking()
            .Where(p => p.Id == personId && p.TenantId == tenantId)
            .Select(p => new { p.Name, p.AssignedRoles })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("Your account is not known to this district. Open the tool from your course again.");
        var launchRoles = await db.Enrollments.AsNoTracking().Where(e => e.PersonId == personId).Select(e => e.Roles).ToListAsync(cancellationToken);
        var memberships = await db.SchoolMemberships.AsNoTracking().Where(m => m.PersonId == personId).Select(m => new { m.SchoolId, m.Roles }).ToListAsync(cancellationToken);
        var roles = launchRoles.Concat(memberships.Select(m => m.Roles)).Aggregate(person.AssignedRoles, (all, r) => all | r);
        return new Actor(personId, tenantId, person.Name, roles,
            memberships.Select(m => m.SchoolId).ToHashSet(),
            memberships.Where(m => m.Roles.HasFlag(ProductRoles.Principal)).Select(m => m.SchoolId).ToHashSet());
    }
}
