using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using LtiMicroCred.Web.Launching;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Web.Pages.App;

/// <summary>Where a launch lands: greets the person by name and role in their course.</summary>
public sealed class HomeModel(AppDbContext db) : PageModel
{
    // Every launch lands here, so the query is compiled (see PerModelQuery).
    private static readonly PerModelQuery<Func<AppDbContext, Guid, CancellationToken, Task<string?>>> FindDistrictName = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, Guid tenantId, CancellationToken _) =>
            db.Tenants.Where(t => t.Id == tenantId).Select(t => t.Name).SingleOrDefault()));

    public new LaunchUser User { get; private set; } = null!;

    public string RoleDescription => RoleMap.Describe(User.Roles);

    public bool IsDistrictAdmin => User.Roles.HasFlag(ProductRoles.DistrictAdmin);

    public string DistrictName { get; private set; } = string.Empty;

    public string LaunchToken { get; private set; } = string.Empty;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (LaunchUser.From(base.User) is not { } user)
        {
            return Unauthorized();
        }

        User = user;
        LaunchToken = Uri.EscapeDataString(Request.Query[LaunchTokenDefaults.QueryName].ToString());
        DistrictName = await FindDistrictName.For(db)(db, user.TenantId, cancellationToken) ?? string.Empty;
        return Page();
    }
}
