using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using LtiMicroCred.Tenancy;
using LtiMicroCred.Web.Launching;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LtiMicroCred.Web.Pages.App;

/// <summary>Where a launch lands: greets the person by name and role in their course.</summary>
public sealed class HomeModel(AppDbContext db, TenantNames tenantNames) : PageModel
{
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
        DistrictName = await tenantNames.NameAsync(db, user.TenantId, cancellationToken);
        return Page();
    }
}
