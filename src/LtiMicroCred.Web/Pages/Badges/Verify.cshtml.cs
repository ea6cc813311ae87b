using LtiMicroCred.Badges;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LtiMicroCred.Web.Pages.Badges;

/// <summary>
/// Anyone checks a credential here. The form changes nothing and needs no sign-in, so it carries no antiforgery token
/// (a forged post could only make someone verify a credential).
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class VerifyModel(BadgeVerifier verifier) : PageModel
{
    public VerificationResult? Result { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? credential, IFormFile? file, CancellationToken cancellationToken)
    {
        var text = credential;
        if (string.IsNullOrWhiteSpace(text) && file is { Length: > 0 })
        {
            if (file.Length > BadgeVerifier.MaxLength)
            {
                Result = new VerificationResult(VerificationOutcome.Invalid, "This file is too large to be a badge credential.");
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }

            using var reader = new StreamReader(file.OpenReadStream());
            text = await reader.ReadToEndAsync(cancellationToken);
        }

        Result = await verifier.VerifyAsync(text, cancellationToken);
        if (Result.Outcome == VerificationOutcome.Invalid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }
}
