using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using LtiMicroCred.Schools;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Web.Pages.App.District.People;

/// <summary>The district's people with their schools and roles, filtered by school and role, 50 a page.</summary>
public sealed class IndexModel(AppDbContext db, RequestRosterSync rosterSync) : DirectoryPageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "school")]
    public Guid? SchoolFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "role")]
    public ProductRoles? RoleFilter { get; set; }

    // Not "page": Razor Pages keeps that route value for the page's own path.
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    /// <summary>The id of the roster sync job just queued, to say so.</summary>
    [BindProperty(SupportsGet = true, Name = "queued")]
    public string? QueuedJob { get; set; }

    public IReadOnlyList<SchoolOption> Schools { get; private set; } = [];

    public IReadOnlyList<PersonRow> People { get; private set; } = [];

    public IReadOnlyList<CourseOption> SyncableCourses { get; private set; } = [];

    public int Total { get; private set; }

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        RequireDirectoryAccess();
        await LoadAsync(cancellationToken);
    }

    /// <summary>"Sync roster from the LMS": queues the job and comes back to the list.</summary>
    public async Task<IActionResult> OnPostSyncAsync(Guid courseId, CancellationToken cancellationToken)
    {
        var job = await rosterSync.HandleAsync(Actor, courseId, cancellationToken);
        return Redirect(Link($"{BasePath}?queued={Uri.EscapeDataString(job)}"));
    }

    /// <summary>A link to another page of the same filtered list.</summary>
    public string PageLink(int page)
    {
        var query = new List<string> { $"p={page}" };
        if (SchoolFilter is { } school)
        {
            query.Add($"school={school}");
        }

        if (RoleFilter is { } role)
        {
            query.Add($"role={role}");
        }

        return Link(BasePath + "?" + string.Join('&', query));
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var tenantId = Actor.TenantId;
        var schools = await db.Schools.AsNoTracking().Where(s => s.TenantId == tenantId).OrderBy(s => s.Name)
            .Select(s => new SchoolOption(s.Id, s.Name, s.Code)).ToListAsync(cancellationToken);
        Schools = Actor.IsDistrictAdmin ? schools : schools.Where(s => Actor.PrincipalOf.Contains(s.Id)).ToList();
        if (SchoolFilter is { } filter && !Schools.Any(s => s.Id == filter))
        {
            throw new NotFoundException("That school is not in your district, or not one you lead.");
        }

        var visibleSchools = Schools.Select(s => s.Id).ToList();
        var people = db.People.AsNoTracking().Where(p => p.TenantId == tenantId);
        if (!Actor.IsDistrictAdmin)
        {
            people = people.Where(p => db.SchoolMemberships.Any(m => m.PersonId == p.Id && visibleSchools.Contains(m.SchoolId)));
        }

        if (SchoolFilter is { } schoolId)
        {
            people = people.Where(p => db.SchoolMemberships.Any(m => m.PersonId == p.Id && m.SchoolId == schoolId));
        }

        if (RoleFilter is { } role and not ProductRoles.None)
        {
            // Any role the person holds: given district-wide, at a school, or from a course they launched from.
            people = people.Where(p => (p.AssignedRoles & role) != 0
                || db.SchoolMemberships.Any(m => m.PersonId == p.Id && (m.Roles & role) != 0)
                || db.Enrollments.Any(e => e.PersonId == p.Id && (e.Roles & role) != 0));
        }

        Total = await people.CountAsync(cancellationToken);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        var page = await people.OrderBy(p => p.Name).ThenBy(p => p.Id).Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(p => new { p.Id, p.Name, p.Email, p.AssignedRoles }).ToListAsync(cancellationToken);
        var ids = page.Select(p => p.Id).ToList();
        var memberships = await db.SchoolMemberships.AsNoTracking().Where(m => ids.Contains(m.PersonId))
            .Select(m => new { m.PersonId, m.SchoolId, m.Roles, m.Source }).ToListAsync(cancellationToken);
        var courseRoles = await db.Enrollments.AsNoTracking().Where(e => ids.Contains(e.PersonId))
            .Select(e => new { e.PersonId, e.Roles }).ToListAsync(cancellationToken);
        var names = schools.ToDictionary(s => s.Id, s => s.Name);
        People = page.Select(p => new PersonRow(
            p.Id,
            p.Name,
            p.Email,
            p.AssignedRoles,
            courseRoles.Where(e => e.PersonId == p.Id).Aggregate(ProductRoles.None, (all, e) => all | e.Roles),
            memberships.Where(m => m.PersonId == p.Id)
                .Select(m => new MembershipView(names.GetValueOrDefault(m.SchoolId, "?"), m.Roles, m.Source))
                .OrderBy(m => m.School, StringComparer.CurrentCulture).ToList(),
            Actor.IsDistrictAdmin || memberships.Any(m => m.PersonId == p.Id && Actor.PrincipalOf.Contains(m.SchoolId)))).ToList();

        if (Actor.IsDistrictAdmin)
        {
            SyncableCourses = await db.Courses.AsNoTracking().Where(c => c.TenantId == tenantId && c.MembershipsUrl != null)
                .OrderBy(c => c.Title).Select(c => new CourseOption(c.Id, c.Title)).ToListAsync(cancellationToken);
        }
    }

    public sealed record SchoolOption(Guid Id, string Name, string? Code);

    public sealed record CourseOption(Guid Id, string Title);

    public sealed record MembershipView(string School, ProductRoles Roles, MembershipSource Source);

    public sealed record PersonRow(Guid Id, string Name, string? Email, ProductRoles DistrictRoles, ProductRoles CourseRoles,
        IReadOnlyList<MembershipView> Memberships, bool CanEdit);
}
