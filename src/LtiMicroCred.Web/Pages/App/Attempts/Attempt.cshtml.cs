using LtiMicroCred.Attempts;
using LtiMicroCred.Evidence;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Attempts;

/// <summary>
/// One attempt, for the teacher who owns it (plan, evidence, reflections, submit) and for the principal of its school
/// or a district admin (plan decision, extension). Every form goes through its use case, which checks the rule.
/// </summary>
public sealed class AttemptModel(AttemptQueries queries, IServiceProvider services) : AppPageModel
{
    public const int PlanStepRows = 6;

    public AttemptView View { get; private set; } = null!;

    [BindProperty(SupportsGet = false)]
    public PlanForm Plan { get; set; } = new();

    [BindProperty(SupportsGet = false)]
    public EvidenceForm Evidence { get; set; } = new();

    public async Task OnGetAsync(Guid id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken);

    public Task<IActionResult> OnPostPlanAsync(Guid id, CancellationToken cancellationToken) =>
        RunAsync(id, "Your plan is saved.", () => Use<SavePlan>().HandleAsync(Actor, id, Plan.ToPlan(), cancellationToken));

    public Task<IActionResult> OnPostSubmitPlanAsync(Guid id, CancellationToken cancellationToken) =>
        RunAsync(id, "Your plan was sent for approval.", () => Use<SubmitPlan>().HandleAsync(Actor, id, cancellationToken));

    public Task<IActionResult> OnPostStartWorkAsync(Guid id, CancellationToken cancellationToken) =>
        RunAsync(id, "You can now add evidence.", () => Use<StartWork>().HandleAsync(Actor, id, cancellationToken));

    public Task<IActionResult> OnPostEvidenceAsync(Guid id, CancellationToken cancellationToken) =>
        RunAsync(id, "Evidence added.", async () =>
        {
            await using var content = Evidence.File?.OpenReadStream();
            await Use<AddDirectEvidence>().HandleAsync(Actor, id, Evidence.ToInput(content), cancellationToken);
        });

    public Task<IActionResult> OnPostRemoveEvidenceAsync(Guid id, Guid evidenceId, CancellationToken cancellationToken) =>
        RunAsync(id, "Evidence removed.", () => Use<RemoveEvidence>().HandleAsync(Actor, evidenceId, cancellationToken));

    public Task<IActionResult> OnPostReflectionAsync(Guid id, string criterionKey, string reflection, CancellationToken cancellationToken) =>
        RunAsync(id, "Reflection saved.", () => Use<SaveReflection>().HandleAsync(Actor, id, criterionKey, PlainText.ToHtml(reflection), cancellationToken));

    public Task<IActionResult> OnPostPullAsync(Guid id, CancellationToken cancellationToken) =>
        RunAsync(id, "The tool is bringing in your LMS submissions.", () => Use<RequestEvidencePull>().HandleAsync(Actor, id, cancellationToken));

    /// <summary>The pull's progress, for the page's status region while it runs.</summary>
    public async Task<IActionResult> OnGetPullStatusAsync(Guid id, CancellationToken cancellationToken)
    {
        var pull = await queries.PullAsync(Actor, id, cancellationToken);
        return new JsonResult(new { state = pull?.State.ToString(), message = pull?.Message });
    }

    public Task<IActionResult> OnPostSubmitAsync(Guid id, CancellationToken cancellationToken) =>
        RunAsync(id, "Submitted for review.", () => Use<SubmitForReview>().HandleAsync(Actor, id, cancellationToken));

    public Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken cancellationToken) =>
        RunAsync(id, "The attempt is withdrawn.", () => Use<WithdrawAttempt>().HandleAsync(Actor, id, cancellationToken));

    public async Task<IActionResult> OnPostResubmitAsync(Guid id, CancellationToken cancellationToken)
    {
        var next = await Use<ResubmitAttempt>().HandleAsync(Actor, id, cancellationToken);
        return Redirect(Link($"/app/attempts/{next}?notice={Uri.EscapeDataString("A new attempt has started with your evidence so far.")}"));
    }

    public Task<IActionResult> OnPostDecideAsync(Guid id, PlanDecision decision, string? comment, CancellationToken cancellationToken) =>
        RunAsync(id, "The plan decision is recorded.", () => Use<DecidePlan>().HandleAsync(Actor, id, decision, comment, cancellationToken));

    public Task<IActionResult> OnPostExtendAsync(Guid id, DateOnly? dueDate, string? reason, CancellationToken cancellationToken) =>
        RunAsync(id, "The due date is extended.", () => dueDate is { } date
            ? Use<GrantExtension>().HandleAsync(Actor, id, new DateTimeOffset(date.ToDateTime(new TimeOnly(23, 59)), TimeSpan.Zero), reason ?? string.Empty, cancellationToken)
            : throw InvalidInputException.For("dueDate", "Choose the new due date."));

    private Task<IActionResult> RunAsync(Guid id, string notice, Func<Task> action) =>
        SubmitAsync(action, $"/app/attempts/{id}", () => LoadAsync(id, HttpContext.RequestAborted), notice);

    private T Use<T>() where T : notnull => services.GetRequiredService<T>();

    private async Task LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        View = await queries.DetailAsync(Actor, id, cancellationToken);
        if (!Request.HasFormContentType && View.Attempt.Plan is { } plan)
        {
            Plan = PlanForm.From(plan);
        }
    }

    public sealed class PlanForm
    {
        public string? Alignment { get; set; }

        public List<string?> StepDescriptions { get; set; } = [];

        public List<DateOnly?> StepDates { get; set; } = [];

        public static PlanForm From(AttemptPlan plan) => new()
        {
            Alignment = plan.Alignment,
            StepDescriptions = plan.Steps.Select(s => (string?)s.Description).ToList(),
            StepDates = plan.Steps.Select(s => (DateOnly?)s.TargetDate).ToList(),
        };

        /// <summary>Rows left empty are not steps; a row with only one of its two fields is reported.</summary>
        public AttemptPlan ToPlan()
        {
            var steps = new List<PlanStep>();
            for (var i = 0; i < Math.Max(StepDescriptions.Count, StepDates.Count); i++)
            {
                var description = StepDescriptions.ElementAtOrDefault(i)?.Trim();
                var date = StepDates.ElementAtOrDefault(i);
                if (string.IsNullOrEmpty(description) && date is null)
                {
                    continue;
                }

                if (string.IsNullOrEmpty(description) || date is null)
                {
                    throw InvalidInputException.For($"step-{i + 1}", $"Step {i + 1} needs both a description and a target date.");
                }

                steps.Add(new PlanStep(description, date.Value));
            }

            return new AttemptPlan { Alignment = Alignment ?? string.Empty, Steps = steps };
        }
    }

    public sealed class EvidenceForm
    {
        public string CriterionKey { get; set; } = string.Empty;

        /// <summary>file, link, video or text.</summary>
        public string Kind { get; set; } = "file";

        public string? Title { get; set; }

        public string? Url { get; set; }

        public int? Minutes { get; set; }

        public string? Text { get; set; }

        public IFormFile? File { get; set; }

        public DirectEvidenceInput ToInput(Stream? content) => Kind switch
        {
            "file" when File is not null && content is not null => new FileEvidence(CriterionKey, Title ?? string.Empty, File.FileName, File.ContentType, content),
            "file" => throw InvalidInputException.For("File", "Choose a file to upload."),
            "link" => new LinkEvidence(CriterionKey, Title ?? string.Empty, Url ?? string.Empty),
            "video" => new VideoEvidence(CriterionKey, Title ?? string.Empty, Url ?? string.Empty, Minutes ?? 0),
            "text" => new TextEvidence(CriterionKey, Title ?? string.Empty, PlainText.ToHtml(Text)),
            _ => throw InvalidInputException.For("Kind", "Choose what kind of evidence this is."),
        };
    }
}
