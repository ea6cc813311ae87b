using LtiMicroCred.Schools;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District.People;

/// <summary>Upload of a directory CSV (docs/directory-csv.md): every bad row listed, or a summary of what changed.</summary>
[RequestSizeLimit(MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxRequestBytes)]
public sealed class ImportModel(ImportDirectoryCsv import) : DirectoryPageModel
{
    /// <summary>The file's cap plus room for the rest of the form, so the use case, not the server, says "too large".</summary>
    public const long MaxRequestBytes = ImportDirectoryCsv.MaxBytes + (64 * 1024);

    [BindProperty]
    public IFormFile? Upload { get; set; }

    public ImportResult? Result { get; private set; }

    public string? FileName { get; private set; }

    public void OnGet() => Actor.RequireDistrictAdmin();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Actor.RequireDistrictAdmin();
        if (Upload is null || Upload.Length == 0)
        {
            Errors[nameof(Upload)] = "Choose a CSV file to import.";
        }
        else if (Upload.Length > ImportDirectoryCsv.MaxBytes)
        {
            Errors[nameof(Upload)] = $"The file is larger than {ImportDirectoryCsv.MaxBytes / (1024 * 1024)} MB. Split it into smaller files.";
        }
        else
        {
            FileName = Upload.FileName;
            try
            {
                await using var stream = Upload.OpenReadStream();
                Result = await import.HandleAsync(Actor, stream, cancellationToken);
            }
            catch (InvalidInputException invalid)
            {
                ShowErrors(invalid);
            }
        }

        if (Errors.Count > 0 || Result is { Succeeded: false })
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }

        return Page();
    }
}
