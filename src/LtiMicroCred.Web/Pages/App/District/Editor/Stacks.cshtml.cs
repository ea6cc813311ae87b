using System.Globalization;
using LtiMicroCred.Catalog;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District.Editor;

/// <summary>The district's stacks and pathways, and the forms that add or edit one (<c>?stack=</c> or <c>?pathway=</c>).</summary>
public sealed class StacksModel(CatalogEditor editor, ImportCatalog import) : CatalogEditorPage(import)
{
    private const string Address = "/app/district/catalog/stacks";

    private string _entryPrefix = "$.stacks[0]";

    private string _idPrefix = "stack-";

    protected override string EntryPrefix => _entryPrefix;

    protected override string IdPrefix => _idPrefix;

    protected override string[] WholeLists => ["credentials", "prerequisites"];

    public CatalogDocument Catalog { get; private set; } = new();

    [BindProperty]
    public CatalogStack? Stack { get; set; }

    [BindProperty]
    public CatalogPathway? Pathway { get; set; }

    public async Task OnGetAsync(string? stack, string? pathway, CancellationToken cancellationToken)
    {
        Catalog = await editor.LoadAsync(Actor, cancellationToken);
        Stack = string.IsNullOrEmpty(stack) ? new CatalogStack() : CatalogEditor.Find(Catalog.Stacks, s => s.Key, stack, "stack");
        Pathway = string.IsNullOrEmpty(pathway) ? new CatalogPathway { MinimumCount = 1 } : CatalogEditor.Find(Catalog.Pathways, p => p.Key, pathway, "pathway");
        IsNewStack = string.IsNullOrEmpty(stack);
        IsNewPathway = string.IsNullOrEmpty(pathway);
        (MinimumCount, CommitteeSize) = Numbers(Pathway);
    }

    /// <summary>The pathway's numbers as typed (read here rather than into <see cref="Pathway"/>, so that text is refused, not taken as 0).</summary>
    [BindProperty(Name = "Pathway.MinimumCount")]
    public string? MinimumCount { get; set; }

    [BindProperty(Name = "Pathway.CommitteeSize")]
    public string? CommitteeSize { get; set; }

    [BindProperty]
    public bool IsNewStack { get; set; }

    /// <summary>The checked credentials (the catalog records' read-only lists do not bind).</summary>
    [BindProperty]
    public List<string> StackCredentials { get; set; } = [];

    [BindProperty]
    public List<string> PathwayCredentials { get; set; } = [];

    [BindProperty]
    public List<string> PathwayPrerequisites { get; set; } = [];

    [BindProperty]
    public bool IsNewPathway { get; set; }

    public async Task<IActionResult> OnPostStackAsync(CancellationToken cancellationToken)
    {
        ModelState.Clear();
        Catalog = await editor.LoadAsync(Actor, cancellationToken);
        var entry = (Stack ?? new CatalogStack()) with { Key = CatalogFields.Trimmed(Stack?.Key), Title = CatalogFields.Trimmed(Stack?.Title), Description = CatalogFields.Trimmed(Stack?.Description),
            Credentials = [.. InCatalogOrder(StackCredentials)] };
        Stack = entry;
        Pathway = new CatalogPathway { MinimumCount = 1 };
        (MinimumCount, CommitteeSize) = Numbers(Pathway);
        IsNewPathway = true;
        return await SaveAsync(new CatalogDocument { Stacks = [entry] }, new Dictionary<string, string>(),
            $"{Address}?stack={Uri.EscapeDataString(entry.Key ?? string.Empty)}", $"The stack “{entry.Title}” is saved.", cancellationToken);
    }

    public async Task<IActionResult> OnPostPathwayAsync(CancellationToken cancellationToken)
    {
        ModelState.Clear();
        Catalog = await editor.LoadAsync(Actor, cancellationToken);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var entry = (Pathway ?? new CatalogPathway()) with
        {
            MinimumCount = CatalogFields.Number(MinimumCount, "$.pathways[0].minimumCount", problems, required: true) ?? 0,
            CommitteeSize = CatalogFields.Number(CommitteeSize, "$.pathways[0].committeeSize", problems, required: false) ?? 0,
            Key = CatalogFields.Trimmed(Pathway?.Key), Title = CatalogFields.Trimmed(Pathway?.Title), Description = CatalogFields.Trimmed(Pathway?.Description),
            RewardDetail = CatalogFields.Trimmed(Pathway?.RewardDetail), Credentials = [.. InCatalogOrder(PathwayCredentials)], Prerequisites = [.. InCatalogOrder(PathwayPrerequisites)],
        };
        Pathway = entry;
        Stack = new CatalogStack();
        IsNewStack = true;
        _entryPrefix = "$.pathways[0]";
        _idPrefix = "pathway-";
        return await SaveAsync(new CatalogDocument { Pathways = [entry] }, problems,
            $"{Address}?pathway={Uri.EscapeDataString(entry.Key ?? string.Empty)}", $"The pathway “{entry.Title}” is saved.", cancellationToken);
    }

    private static (string, string) Numbers(CatalogPathway pathway) =>
        (pathway.MinimumCount.ToString(CultureInfo.InvariantCulture), pathway.CommitteeSize.ToString(CultureInfo.InvariantCulture));

    /// <summary>Checked credential keys in catalog order (the order teachers see them in).</summary>
    private IEnumerable<string> InCatalogOrder(List<string> checkedKeys) => Catalog.Credentials.Select(c => c.Key!).Where(checkedKeys.Contains);
}
