using LtiMicroCred.Outbox;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District;

/// <summary>The district's outbox (district admins only): counts by status, dead letters with the LMS's answer, retry.</summary>
public sealed class OutboxModel(OutboxQueries queries, RetryOutboxMessage retry) : AppPageModel
{
    public OutboxOverview Data { get; private set; } = null!;

    public async Task OnGetAsync(int? p, CancellationToken cancellationToken) => Data = await queries.OverviewAsync(Actor, p ?? 1, cancellationToken);

    public Task<IActionResult> OnPostRetryAsync(Guid messageId, CancellationToken cancellationToken) =>
        SubmitAsync(() => retry.HandleAsync(Actor, messageId, cancellationToken), "/app/district/outbox", () => OnGetAsync(1, cancellationToken),
            "The message is queued to be sent again.");

    public string PageLink(int page) => Link($"/app/district/outbox?p={page.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
}
