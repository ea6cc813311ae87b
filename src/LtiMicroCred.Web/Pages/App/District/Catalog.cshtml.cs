using System.Globalization;
using LtiMicroCred.Catalog;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District;

/// <summary>
/// The district administrator's catalog: every credential with its version and offerings, import of a catalog file
/// (all or nothing, every problem listed by path) and export of the whole catalog as one.
/// </summary>
// The cap is also endpoint metadata, so it holds before anything reads the form (authentication and antiforgery do).
[RequestSizeLimit(UploadLimit)]
[RequestFormLimits(MultipartBodyLengthLimit = UploadLimit)]
public sealed class CatalogModel(CatalogOverview overview, ImportCatalog import, ExportCatalog export, TimeProvider timeProvider) : AppPageModel
{
    /// <summary>Twice the file's own cap: a file a little over it still reaches the handler, which can say why it is refused.</summary>
    private const int UploadLimit = 2 * CatalogJson.MaxBytes;

    public IReadOnlyList<CredentialRow> Rows { get; private set; } = [];

    /// <summary>Why the last import was refused, by JSON path (or "file" for the upload itself).</summary>
    public IReadOnlyDictionary<string, string> Problems { get; private set; } = new Dictionary<string, string>();

    public CatalogImportSummary? Summary { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Rows = await overview.HandleAsync(Actor, cancellationToken);

    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        var document = await export.HandleAsync(Actor, cancellationToken);
        var date = timeProvider.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return File(CatalogJson.Write(document), "application/json", $"catalog-{date}.json");
    }

    public async Task<IActionResult> OnPostImportAsync(IFormFile? file, CancellationToken cancellationToken)
    {
        Actor.RequireDistrictAdmin();
        if (file is null || file.Length == 0)
        {
            Problems = new Dictionary<string, string> { ["file"] = "Choose a catalog file (JSON) to import." };
        }
        else if (file.Length > CatalogJson.MaxBytes)
        {
            Problems = new Dictionary<string, string> { ["file"] = "The file is larger than 2 MB. Split the catalog into several files." };
        }
        else
        {
            try
            {
                await using var stream = file.OpenReadStream();
                Summary = await import.HandleAsync(Actor, stream, cancellationToken);
            }
            catch (InvalidInputException refused)
            {
                Problems = refused.Errors;
            }
        }

        Rows = await overview.HandleAsync(Actor, cancellationToken);
        if (Problems.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    public static string Count(ChangeCount count) =>
        string.Create(CultureInfo.InvariantCulture, $"{count.Created} created, {count.Updated} updated, {count.Unchanged} unchanged");
}
