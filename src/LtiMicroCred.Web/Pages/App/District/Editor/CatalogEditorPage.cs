using LtiMicroCred.Catalog;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District.Editor;

/// <summary>
/// The catalog editor's pages: each builds a catalog document holding just the edited entry and saves it as an
/// import. A refusal shows the form again as typed, with every problem in the error summary linked to its field.
/// </summary>
public abstract class CatalogEditorPage(ImportCatalog import) : AppPageModel
{
    /// <summary>The edited entry's path in the document, such as <c>$.stacks[0]</c>.</summary>
    protected abstract string EntryPrefix { get; }

    /// <summary>Lists edited as one field (checkboxes, one-per-line text): a problem on any item names the list.</summary>
    protected virtual string[] WholeLists => [];

    /// <summary>Before every field id, where two entries' forms share a page.</summary>
    protected virtual string IdPrefix => string.Empty;

    public string? Invalid(string id) => ModelState.TryGetValue(id, out var entry) && entry.Errors.Count > 0 ? "true" : null;

    /// <summary>Saves the document unless the form's own numbers were unreadable; on success redirects to <paramref name="redirectTo"/>.</summary>
    protected async Task<IActionResult> SaveAsync(CatalogDocument document, IReadOnlyDictionary<string, string> formProblems, string redirectTo, string notice,
        CancellationToken cancellationToken)
    {
        try
        {
            if (formProblems.Count > 0)
            {
                throw new InvalidInputException(formProblems);
            }

            await import.SaveAsync(Actor, document, cancellationToken);
        }
        catch (InvalidInputException refused)
        {
            return Refused(refused);
        }

        var separator = redirectTo.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Redirect(Link($"{redirectTo}{separator}notice={Uri.EscapeDataString(notice)}"));
    }

    protected IActionResult Refused(InvalidInputException refused)
    {
        CatalogFields.AddProblems(ModelState, refused.Errors, EntryPrefix, IdPrefix, WholeLists);
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
