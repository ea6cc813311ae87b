using LtiMicroCred.ResultPosting.Webhooks;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District;

/// <summary>The district's PD-system webhook (district admins only): address, signing secret (write-only), on or off.</summary>
public sealed class WebhookModel(WebhookQueries queries, SetWebhookSettings settings) : AppPageModel
{
    public WebhookSettingsView View { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => View = await queries.GetAsync(Actor, cancellationToken);

    public Task<IActionResult> OnPostAsync(string? url, string? secret, bool enabled, CancellationToken cancellationToken) =>
        SubmitAsync(() => settings.HandleAsync(Actor, url, secret, enabled, cancellationToken), "/app/district/webhook",
            () => OnGetAsync(HttpContext.RequestAborted), "The webhook is saved.");
}
