using LtiMicroCred.Decisions;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.Decisions;

/// <summary>
/// The decision part of the attempt page: the decision and its feedback, the earlier rounds, extension requests, and
/// for the principal a link to decide. Included in the attempt page with one line.
/// </summary>
public sealed class AttemptOutcomeViewComponent(DecisionQueries queries) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(AppPageModel page, Guid attemptId) =>
        View(new AttemptOutcomeModel(await queries.OutcomeAsync(page.Actor, attemptId, HttpContext.RequestAborted), page));
}

public sealed record AttemptOutcomeModel(AttemptOutcomeView View, AppPageModel Page);
