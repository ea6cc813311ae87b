using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using LtiMicroCred.Schools;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Web.Pages.App.District.People;

/// <summary>
/// One person's district-wide roles and their roles at each school. A district administrator edits all of it; a
/// principal edits the teacher, peer reviewer and coach roles at the schools they lead (<see cref="AssignRoles"/>).
/// </summary>
public sealed class EditModel(AppDbContext db, AssignRoles assignRoles) : DirectoryPageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid PersonId { get; set; }

    /// <summary>Checked district-wide roles.</summary>
    [BindProperty]
    public List<ProductRoles> District { get; set; } = [];

    /// <summary>Checked school roles, each "schoolId:Role".</summary>
    [BindProperty]
    public List<string> SchoolRole { get; set; } = [];

    /// <summary>The schools the form showed, so a school with every box cleared is a membership to remove.</summary>
    [BindProperty]
    public List<Guid> SchoolShown { get; set; } = [];

    [BindProperty(SupportsGet = true, Name = "saved")]
    public bool Saved { get; set; }

    public string Name { get; private set; } = string.Empty;

    public string? Email { get; private set; }

    public ProductRoles DistrictRoles { get; private set; }

    public ProductRoles CourseRoles { get; private set; }

    public IReadOnlyList<SchoolRow> Schools { get; private set; } = [];

    public static string SchoolRoleValue(Guid schoolId, ProductRoles role) => $"{schoolId}:{role}";

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        RequireDirectoryAccess();
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        RequireDirectoryAccess();
        var current = await db.SchoolMemberships.AsNoTracking().Where(m => m.PersonId == PersonId)
            .ToDictionaryAsync(m => m.SchoolId, m => m.Roles, cancellationToken);
        var schools = new Dictionary<Guid, ProductRoles>();
        foreach (var schoolId in SchoolShown.Distinct())
        {
            var roles = SchoolRole.Select(ParseSchoolRole).Where(r => r.SchoolId == schoolId).Aggregate(ProductRoles.None, (all, r) => all | r.Role);
            if (!Actor.IsDistrictAdmin)
            {
                // The principal box is not theirs to change: the page shows it read-only, so keep what is there.
                roles = (roles & RoleScopes.PrincipalMayAssign) | (current.GetValueOrDefault(schoolId) & ~RoleScopes.PrincipalMayAssign);
            }

            schools[schoolId] = roles;
        }

        ProductRoles? district = Actor.IsDistrictAdmin ? District.Aggregate(ProductRoles.None, (all, r) => all | r) : null;
        try
        {
            await assignRoles.HandleAsync(Actor, new AssignRolesCommand(PersonId, district, schools), cancellationToken);
        }
        catch (InvalidInputException invalid)
        {
            ShowErrors(invalid);
            await LoadAsync(cancellationToken);
            return Page();
        }

        return Redirect(Link($"{BasePath}/{PersonId}?saved=true"));
    }

    private static (Guid SchoolId, ProductRoles Role) ParseSchoolRole(string value)
    {
        var parts = value.Split(':', 2);
        return parts.Length == 2 && Guid.TryParse(parts[0], out var id) && Enum.TryParse<ProductRoles>(parts[1], out var role)
            ? (id, role)
            : throw InvalidInputException.For(nameof(SchoolRole), "The form sent a role the tool does not know. Reload the page and try again.");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var person = await db.People.AsNoTracking().Where(p => p.Id == PersonId && p.TenantId == Actor.TenantId)
            .Select(p => new { p.Name, p.Email, p.AssignedRoles }).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("That person is not in your district.");
        var memberships = await db.SchoolMemberships.AsNoTracking().Where(m => m.PersonId == PersonId).ToListAsync(cancellationToken);
        if (!Actor.IsDistrictAdmin && !memberships.Exists(m => Actor.PrincipalOf.Contains(m.SchoolId)))
        {
            throw new NotFoundException("That person is not at a school you lead.");
        }

        Name = person.Name;
        Email = person.Email;
        DistrictRoles = person.AssignedRoles;
        CourseRoles = (await db.Enrollments.AsNoTracking().Where(e => e.PersonId == PersonId).Select(e => e.Roles).ToListAsync(cancellationToken))
            .Aggregate(ProductRoles.None, (all, r) => all | r);
        var schools = await db.Schools.AsNoTracking().Where(s => s.TenantId == Actor.TenantId).OrderBy(s => s.Name)
            .Select(s => new { s.Id, s.Name }).ToListAsync(cancellationToken);
        Schools = schools.Select(s =>
        {
            var membership = memberships.Find(m => m.SchoolId == s.Id);
            return new SchoolRow(s.Id, s.Name, membership?.Roles ?? ProductRoles.None, membership?.Source, Actor.LeadsSchool(s.Id));
        })
        // A principal sees the other schools the person belongs to, read-only, and not the rest of the district.
        .Where(s => Actor.IsDistrictAdmin || s.Editable || s.Roles != ProductRoles.None)
        .ToList();
    }

    public sealed record SchoolRow(Guid Id, string Name, ProductRoles Roles, MembershipSource? Source, bool Editable);
}
