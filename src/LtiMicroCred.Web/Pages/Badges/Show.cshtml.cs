using LtiMicroCred.Badges;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LtiMicroCred.Web.Pages.Badges;

/// <summary>A badge's public verification page: no launch, no login; the earner's name only as they chose.</summary>
public sealed class ShowModel(BadgeQueries queries, BadgeVerifier verifier) : PageModel
{
    public BadgePublicView View { get; private set; } = null!;

    public VerificationResult Check { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await queries.PublicAsync(id, cancellationToken) is not { } view)
        {
            return NotFound();
        }

        View = view;
        Check = await verifier.VerifyAsync(view.Jwt, cancellationToken);
        return Page();
    }
}
