using LtiMicroCred.CanvasAccess;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LtiMicroCred.Web.Pages.App.Canvas;

/// <summary>Inside the LMS frame: whether the person's Canvas account is connected, and the way to connect it.</summary>
public sealed class CanvasIndexModel(CanvasUserClients canvas) : AppPageModel
{
    public CanvasAccessStatus Status { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Status = await canvas.GetStatusAsync(Actor.PersonId, cancellationToken);
}
