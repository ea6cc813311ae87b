using System.Security.Claims;
using LtiMicroCred.Web.Hosting;
using LtiMicroCred.Web.Launching;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LtiMicroCred.Web.Pages.Admin;

/// <summary>Trades a district admin's launch token for a short first-party session, then opens the jobs dashboard.</summary>
[Authorize(Policy = LaunchAuthenticationExtensions.DistrictAdminPolicy)]
public sealed class JobsModel : PageModel
{
    public async Task<IActionResult> OnGetAsync()
    {
        var identity = new ClaimsIdentity(User.Claims, LaunchAuthenticationExtensions.AdminSessionScheme, "name", "role");
        await HttpContext.SignInAsync(LaunchAuthenticationExtensions.AdminSessionScheme, new ClaimsPrincipal(identity));
        return Redirect(JobsExtensions.DashboardPath);
    }
}
