using LtiMicroCred.CanvasAccess;
using LtiMicroCred.Web.Launching;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LtiMicroCred.Web.Pages.App.Canvas;

/// <summary>Inside the LMS frame: whether the person's Canvas account is connected, and the way to connect it.</summary>
public sealed class CanvasIndexModel(CanvasUserClients canvas) : PageModel
{
    public CanvasAccessStatus Status { get; private set; } = null!;

    public string LaunchToken { get; private set; } = string.Empty;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (LaunchUser.From(User) is not { } user)
        {
            return Unauthorized();
        }

        LaunchToken = Uri.EscapeDataString(Request.Query[LaunchTokenDefaults.QueryName].ToString());
        Status = await canvas.GetStatusAsync(user.PersonId, cancellationToken);
        return Page();
    }
}
