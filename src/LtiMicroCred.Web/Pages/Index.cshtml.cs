using LtiMicroCred.Lti.Endpoints;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LtiMicroCred.Web.Pages;

/// <summary>The root: the sandbox LMS when it is on (development), otherwise a short page for LMS administrators.</summary>
public sealed class IndexModel(IConfiguration configuration) : PageModel
{
    public string RegistrationUrl { get; private set; } = string.Empty;

    public IActionResult OnGet()
    {
        if (configuration.GetValue<bool>("Sandbox:Enabled"))
        {
            return Redirect("/sandbox");
        }

        RegistrationUrl = LtiEndpoints.BaseUrl(HttpContext) + "/lti/register";
        return Page();
    }
}
