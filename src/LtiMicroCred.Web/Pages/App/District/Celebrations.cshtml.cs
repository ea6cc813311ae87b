using LtiMicroCred.Celebrations;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District;

/// <summary>The leaders' digest setting (district admins only): off, weekly on a day, or daily, at an hour (UTC).</summary>
public sealed class CelebrationsModel(DigestSettingsQueries queries, SetDigestSettings settings) : AppPageModel
{
    public DigestSettingsView View { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => View = await queries.GetAsync(Actor, cancellationToken);

    public Task<IActionResult> OnPostAsync(DigestFrequency frequency, DayOfWeek day, int hour, CancellationToken cancellationToken) =>
        SubmitAsync(() => settings.HandleAsync(Actor, frequency, day, hour, cancellationToken), "/app/district/celebrations",
            () => OnGetAsync(HttpContext.RequestAborted), "The digest setting is saved.");
}
