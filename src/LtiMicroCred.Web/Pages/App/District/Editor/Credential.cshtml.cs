using LtiMicroCred.Catalog;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District.Editor;

/// <summary>
/// The district administrator's editor for one credential (an empty key makes a new one). Saving imports a catalog
/// document holding just this credential, so it is checked and versioned exactly as an imported file is; the
/// preview shows the unsaved credential as a teacher's page would, and saves nothing.
/// </summary>
public sealed class CredentialModel(CatalogEditor editor, ImportCatalog import, CatalogOverview overview) : CatalogEditorPage(import)
{
    protected override string EntryPrefix => CredentialForm.Prefix;

    protected override string[] WholeLists => ["methodComponents", "skills"];

    [BindProperty]
    public CredentialForm Form { get; set; } = CredentialForm.New();

    public IReadOnlyList<CatalogFramework> Frameworks { get; private set; } = [];

    /// <summary>The unsaved credential as a teacher would see it, after "Preview".</summary>
    public CredentialDetail? Preview { get; private set; }

    /// <summary>The saved credential when it is not retired and has no active offering: teachers cannot see it yet.</summary>
    public CredentialRow? NotOffered { get; private set; }

    public async Task OnGetAsync(string? key, CancellationToken cancellationToken)
    {
        var catalog = await editor.LoadAsync(Actor, cancellationToken);
        Frameworks = catalog.Frameworks;
        if (!string.IsNullOrEmpty(key))
        {
            Form = CredentialForm.From(CatalogEditor.Find(catalog.Credentials, c => c.Key, key, "microcredential"));
            NotOffered = (await overview.HandleAsync(Actor, cancellationToken)).FirstOrDefault(r => r.Key == key && r is { Retired: false, ActiveOfferings: 0 });
        }

        Form.Pad();
    }

    /// <summary>One form, three buttons: save, preview, or add a row to a list (keeping everything typed so far).</summary>
    public async Task<IActionResult> OnPostAsync(string? command, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        Frameworks = (await editor.LoadAsync(Actor, cancellationToken)).Frameworks;
        if (command is { } add && add.StartsWith("add-", StringComparison.Ordinal))
        {
            Form.AddRow(add["add-".Length..]);
            return Page();
        }

        Form.Compact();
        var (entry, problems) = Form.ToEntry();
        if (command != "preview")
        {
            return await SaveAsync(new CatalogDocument { Credentials = [entry] }, problems,
                $"/app/district/catalog/credential?key={Uri.EscapeDataString(entry.Key ?? string.Empty)}", $"“{entry.Title}” is saved.", cancellationToken);
        }

        try
        {
            if (problems.Count > 0)
            {
                throw new InvalidInputException(problems);
            }

            Preview = await editor.PreviewAsync(Actor, entry, cancellationToken);
            return Page();
        }
        catch (InvalidInputException refused)
        {
            return Refused(refused);
        }
    }
}
