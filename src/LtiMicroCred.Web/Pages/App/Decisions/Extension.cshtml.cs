using LtiMicroCred.Decisions;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Decisions;

/// <summary>Extension requests of one attempt: the teacher asks (reason, wanted date); the principal grants or declines.</summary>
public sealed class ExtensionModel(DecisionQueries queries, RequestExtension request, AnswerExtensionRequest answerer) : AppPageModel
{
    public AttemptOutcomeView View { get; private set; } = null!;

    public ExtensionRequest? Open => View.ExtensionRequests.FirstOrDefault(r => r.Status == ExtensionRequestStatus.Open);

    public async Task OnGetAsync(Guid id, CancellationToken cancellationToken) => await LoadAsync(id, cancellationToken);

    public Task<IActionResult> OnPostAsync(Guid id, DateOnly? wantedDate, string? reason, CancellationToken cancellationToken) =>
        SubmitAsync(() => wantedDate is { } date
                ? request.HandleAsync(Actor, id, new DateTimeOffset(date.ToDateTime(new TimeOnly(23, 59)), TimeSpan.Zero), reason, cancellationToken)
                : throw InvalidInputException.For("WantedDate", "Choose the date you need."),
            $"/app/attempts/{id}", () => LoadAsync(id, HttpContext.RequestAborted), "Your extension request was sent to your principal.");

    public Task<IActionResult> OnPostAnswerAsync(Guid id, Guid requestId, string? answer, string? comment, CancellationToken cancellationToken) =>
        SubmitAsync(() => answer is "Grant" or "Decline"
                ? answerer.HandleAsync(Actor, requestId, answer == "Grant", comment, cancellationToken)
                : throw InvalidInputException.For("answer", "Choose to grant or decline the request."),
            "/app/approvals", () => LoadAsync(id, HttpContext.RequestAborted), "Your answer to the extension request is recorded.");

    private async Task LoadAsync(Guid id, CancellationToken cancellationToken) => View = await queries.OutcomeAsync(Actor, id, cancellationToken);
}
