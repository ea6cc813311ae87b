using System.Security.Claims;
using LtiMicroCred.Persistence;
using LtiMicroCred.Web.Hosting;
using LtiMicroCred.Web.Launching;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Web.Pages.Admin;

/// <summary>
/// Trades a district admin's launch token for a short first-party session, then opens the jobs dashboard. The
/// dashboard is the whole install's (every district's jobs), so only administrators of an operator tenant get in.
/// </summary>
[Authorize(Policy = LaunchAuthenticationExtensions.DistrictAdminPolicy)]
public sealed class JobsModel(JobsOptions jobs, AppDbContext db) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var user = LaunchUser.From(User);
        if (user is null || !await IsOperatorAsync(user.TenantId, cancellationToken))
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var identity = new ClaimsIdentity(User.Claims, LaunchAuthenticationExtensions.AdminSessionScheme, "name", "role");
        identity.AddClaim(new Claim(AdminDashboardAuthorization.OperatorClaim, "true"));
        await HttpContext.SignInAsync(LaunchAuthenticationExtensions.AdminSessionScheme, new ClaimsPrincipal(identity));
        return Redirect(JobsExtensions.DashboardPath);
    }

    private async Task<bool> IsOperatorAsync(Guid tenantId, CancellationToken cancellationToken) =>
        jobs.OperatorTenants.Count > 0
            ? jobs.OperatorTenants.Contains(tenantId)
            : await db.Tenants.CountAsync(cancellationToken) == 1;
}
