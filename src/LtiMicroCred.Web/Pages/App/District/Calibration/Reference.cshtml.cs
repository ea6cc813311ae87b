using LtiMicroCred.Calibration;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District.Calibration;

/// <summary>Adds or edits one reference submission: its evidence, links and agreed level per rubric criterion; retires it.</summary>
public sealed class ReferenceModel(CalibrationQueries queries, ManageReferences manage) : AppPageModel
{
    public const int LinkRows = 3;

    public ReferenceForm Form { get; private set; } = null!;

    [BindProperty]
    public string? Title { get; set; }

    [BindProperty]
    public string? Evidence { get; set; }

    [BindProperty]
    public List<string?> LinkTitles { get; set; } = [];

    [BindProperty]
    public List<string?> LinkUrls { get; set; } = [];

    [BindProperty(Name = "levels")]
    public Dictionary<string, int?> Levels { get; set; } = [];

    public async Task OnGetAsync(Guid credential, Guid? id, CancellationToken cancellationToken)
    {
        await LoadAsync(credential, id, cancellationToken);
        if (Form.Reference is { } r)
        {
            Title = r.Title;
            Evidence = r.EvidenceHtml;
            LinkTitles = r.Links.Select(l => (string?)l.Title).ToList();
            LinkUrls = r.Links.Select(l => (string?)l.Url).ToList();
            Levels = r.AgreedLevels.ToDictionary(l => l.CriterionKey, l => (int?)l.Level);
        }
    }

    public Task<IActionResult> OnPostAsync(Guid credential, Guid? id, CancellationToken cancellationToken)
    {
        var input = new ReferenceInput(Title, Evidence,
            Enumerable.Range(0, Math.Max(LinkTitles.Count, LinkUrls.Count)).Select(i => new ReferenceLink(LinkTitles.ElementAtOrDefault(i) ?? "", LinkUrls.ElementAtOrDefault(i) ?? "")).ToList(),
            Levels);
        return SubmitAsync(
            () => id is { } existing ? manage.UpdateAsync(Actor, existing, input, cancellationToken) : manage.AddAsync(Actor, credential, input, cancellationToken),
            "/app/district/calibration",
            () => LoadAsync(credential, id, cancellationToken),
            id is null ? "The reference is added." : "The reference is saved.");
    }

    public Task<IActionResult> OnPostActiveAsync(Guid credential, Guid id, bool active, CancellationToken cancellationToken) =>
        SubmitAsync(
            () => manage.SetActiveAsync(Actor, id, active, cancellationToken),
            "/app/district/calibration",
            () => LoadAsync(credential, id, cancellationToken),
            active ? "The reference is back in the exercise." : "The reference is retired.");

    private async Task LoadAsync(Guid credential, Guid? id, CancellationToken cancellationToken) =>
        Form = await queries.FormAsync(Actor, credential, id, cancellationToken);
}
