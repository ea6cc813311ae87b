using System.Security.Claims;
using System.Text.Json;
using LtiMicroCred.Lti.DeepLinking;
using LtiMicroCred.Lti.Endpoints;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Evidence;
using LtiMicroCred.People;
using LtiMicroCred.Web.Launching;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace LtiMicroCred.Web.Pages.App;

/// <summary>
/// Opened by an LtiDeepLinkingRequest: a coach or district admin picks what to place in the course, and the tool posts
/// the signed choice back to the LMS. Teachers never get here (their LMS does not offer it, and the page refuses them).
/// </summary>
public sealed class DeepLinkModel(IPlatformRegistry platforms, DeepLinkingResponseBuilder responses, EvidencePlacements evidence) : PageModel
{
    /// <summary>The tool's own pages; the catalog's evidence assignments are added per district.</summary>
    public static IReadOnlyList<Placement> ToolPlacements { get; } =
    [
        new("home", "Microcredentials", "Opens the tool's home page: each person sees their own credentials, reviews or approvals.", null),
        new("hours", "In-service hours", "Opens the tool's home page and adds a gradebook column where awarded hours are posted.", 100),
    ];

    public DeepLinkingContext Context { get; private set; } = null!;

    /// <summary>What can be placed: the tool's pages, then one graded assignment per submission criterion of the catalog.</summary>
    public IReadOnlyList<Placement> Placements { get; private set; } = ToolPlacements;

    public string LaunchToken { get; private set; } = string.Empty;

    public string? Problem { get; private set; }

    [BindProperty]
    public List<string> Selected { get; set; } = [];

    /// <summary>Set by the Cancel button: the LMS is told nothing was placed.</summary>
    [BindProperty]
    public bool Cancel { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (Load() is { } refused)
        {
            return refused;
        }

        await LoadPlacementsAsync(cancellationToken);
        return Page();
    }

    private async Task LoadPlacementsAsync(CancellationToken cancellationToken)
    {
        var user = LaunchUser.From(User)!;
        var criteria = await evidence.ListAsync(user.TenantId, cancellationToken);
        Placements = [.. ToolPlacements, .. criteria.Select(c => new Placement(
            EvidencePlacements.KeyOf(c.CredentialKey, c.CriterionKey),
            $"{c.CredentialTitle}: {c.CriterionTitle}",
            "A graded assignment where teachers hand in this evidence; the tool copies their submission into their attempt.",
            c.ScoreMaximum) { Custom = EvidencePlacements.CustomFor(c.CredentialKey, c.CriterionKey) })];
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Load() is { } refused)
        {
            return refused;
        }

        await LoadPlacementsAsync(cancellationToken);
        var items = Cancel ? [] : Placements.Where(p => Selected.Contains(p.Key)).Select(ToItem).ToList();
        var platform = await platforms.GetAsync(Context.PlatformId, cancellationToken);
        if (platform is null)
        {
            Problem = "This LMS is no longer registered with the tool. Ask your district administrator.";
            return Page();
        }

        try
        {
            var jwt = await responses.BuildAsync(platform, Context.DeploymentId, Context.Settings, items,
                message: items.Count == 0 ? null : $"Placed {items.Count} item(s) from LtiMicroCred.", cancellationToken: cancellationToken);
            return new ResultActionResult(LtiPages.DeepLinkingReturn(Context.Settings.DeepLinkReturnUrl, jwt));
        }
        catch (DeepLinkingNotAcceptedException e)
        {
            Problem = e.Message;
            return Page();
        }
    }

    private ContentResult? Load()
    {
        var user = LaunchUser.From(User);
        if (user is null || User.FindFirstValue(LaunchTokenDefaults.DeepLinkingClaim) is not { } json
            || JsonSerializer.Deserialize<DeepLinkingContext>(json) is not { } context)
        {
            return Message(StatusCodes.Status400BadRequest, "This page opens from the LMS's \"add content\" action only.");
        }

        if ((user.Roles & (ProductRoles.Coach | ProductRoles.DistrictAdmin)) == 0)
        {
            // A plain sentence, not an empty 403: the person sees this inside the LMS frame.
            return Message(StatusCodes.Status403Forbidden, "Only coaches and district administrators can add LtiMicroCred to a course.");
        }

        Context = context;
        LaunchToken = Request.Query[LaunchTokenDefaults.QueryName].FirstOrDefault() ?? Request.Form[LaunchTokenDefaults.QueryName].FirstOrDefault() ?? string.Empty;
        return null;
    }

    private static ContentResult Message(int status, string text) =>
        new() { StatusCode = status, ContentType = "text/plain; charset=utf-8", Content = text };

    private LtiResourceLinkItem ToItem(Placement placement) => new()
    {
        Title = placement.Title,
        Text = placement.Description,
        Custom = placement.Custom ?? new Dictionary<string, string> { ["mc_view"] = placement.Key },
        LineItem = placement.ScoreMaximum is { } max && Context.Settings.AcceptLineItem
            ? new DeepLinkLineItem(max, placement.Title, "ltimicrocred-" + placement.Key, "ltimicrocred")
            : null,
    };

    public sealed record Placement(string Key, string Title, string Description, double? ScoreMaximum)
    {
        /// <summary>The custom parameters the LMS sends back at each launch of the placed link.</summary>
        public IReadOnlyDictionary<string, string>? Custom { get; init; }
    }

    /// <summary>Lets a page handler answer with a minimal-API result (the LTI layer's auto-post page).</summary>
    private sealed class ResultActionResult(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
