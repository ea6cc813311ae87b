using LtiMicroCred.Portfolio;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Portfolio;

/// <summary>Downloads a ready portfolio ZIP, for those who may export that portfolio.</summary>
public sealed class DownloadModel(PortfolioQueries queries) : AppPageModel
{
    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var (fileName, _, open) = await queries.DownloadAsync(Actor, id, cancellationToken);
        return File(await open(cancellationToken), "application/zip", fileName);
    }
}
