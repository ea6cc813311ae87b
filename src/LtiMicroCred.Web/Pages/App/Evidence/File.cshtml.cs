using LtiMicroCred.Evidence;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Evidence;

/// <summary>Downloads an evidence file, for those the visibility rule lets see the attempt.</summary>
public sealed class FileModel(EvidenceAccess access, IFileStore store) : AppPageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var (file, open) = await access.FileAsync(Actor, id, store, cancellationToken);
        // Always a download, never rendered by the browser in the tool's origin.
        return File(await open(cancellationToken), "application/octet-stream", file.FileName);
    }
}
