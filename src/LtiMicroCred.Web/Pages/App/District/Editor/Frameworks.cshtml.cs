using LtiMicroCred.Catalog;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District.Editor;

/// <summary>The district's skills frameworks, and the form that adds one or edits one (<c>?key=</c>): its name and skills.</summary>
public sealed class FrameworksModel(CatalogEditor editor, ImportCatalog import) : CatalogEditorPage(import)
{
    protected override string EntryPrefix => "$.frameworks[0]";

    [BindProperty]
    public FrameworkForm Form { get; set; } = new() { IsNew = true, Skills = [new SkillRow(), new SkillRow()] };

    public IReadOnlyList<CatalogFramework> Frameworks { get; private set; } = [];

    public async Task OnGetAsync(string? key, CancellationToken cancellationToken)
    {
        Frameworks = (await editor.LoadAsync(Actor, cancellationToken)).Frameworks;
        if (!string.IsNullOrEmpty(key))
        {
            var framework = CatalogEditor.Find(Frameworks, f => f.Key, key, "skills framework");
            Form = new FrameworkForm { Key = framework.Key, Name = framework.Name, Skills = [.. framework.Skills.Select(s => new SkillRow { Code = s.Code, Name = s.Name }), new SkillRow()] };
        }
    }

    public async Task<IActionResult> OnPostAsync(string? command, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        Frameworks = (await editor.LoadAsync(Actor, cancellationToken)).Frameworks;
        Form.Skills = [.. Form.Skills.Where(s => !CatalogFields.Blank(s.Code, s.Name))];
        if (command == "add-skill")
        {
            Form.Skills.Add(new SkillRow());
            return Page();
        }

        var entry = new CatalogFramework
        {
            Key = CatalogFields.Trimmed(Form.Key),
            Name = CatalogFields.Trimmed(Form.Name),
            Skills = [.. Form.Skills.Select(s => new CatalogSkill { Code = CatalogFields.Trimmed(s.Code), Name = CatalogFields.Trimmed(s.Name) })],
        };
        return await SaveAsync(new CatalogDocument { Frameworks = [entry] }, new Dictionary<string, string>(),
            $"/app/district/catalog/frameworks?key={Uri.EscapeDataString(entry.Key ?? string.Empty)}", $"The framework “{entry.Name}” is saved.", cancellationToken);
    }
}

public sealed class FrameworkForm
{
    public bool IsNew { get; set; }

    public string? Key { get; set; }

    public string? Name { get; set; }

    public List<SkillRow> Skills { get; set; } = [];
}

public sealed class SkillRow
{
    public string? Code { get; set; }

    public string? Name { get; set; }
}
