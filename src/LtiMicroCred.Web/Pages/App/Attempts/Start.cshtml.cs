using LtiMicroCred.Attempts;
using LtiMicroCred.Persistence;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Web.Pages.App.Attempts;

/// <summary>Starts an attempt: the catalog's "Start this microcredential" button posts here; a plain link asks to confirm first.</summary>
public sealed class StartModel(StartAttempt start, AppDbContext db) : AppPageModel
{
    public Guid CredentialId { get; private set; }

    public string CredentialTitle { get; private set; } = string.Empty;

    public async Task<IActionResult> OnGetAsync(Guid? credentialId, CancellationToken cancellationToken)
    {
        var title = credentialId is { } id
            ? await db.Credentials.AsNoTracking().Where(c => c.Id == id && c.TenantId == Actor.TenantId && !c.Retired).Select(c => c.Title).SingleOrDefaultAsync(cancellationToken)
            : null;
        if (title is null)
        {
            return Redirect(Link("/app/catalog"));
        }

        (CredentialId, CredentialTitle) = (credentialId!.Value, title);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid credentialId, CancellationToken cancellationToken)
    {
        var id = await start.HandleAsync(Actor, credentialId, cancellationToken);
        return Redirect(Link($"/app/attempts/{id}?notice={Uri.EscapeDataString("Started. Your next step is below.")}"));
    }
}
