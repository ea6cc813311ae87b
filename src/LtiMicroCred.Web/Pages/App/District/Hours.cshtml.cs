using LtiMicroCred.ResultPosting.Hours;
using LtiMicroCred.Web.Launching;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District;

/// <summary>
/// The district's PD course for in-service hours (district admins only): opened from the PD course, "use this course"
/// stores it and finds or makes its "In-service hours" line item.
/// </summary>
public sealed class HoursModel(HoursQueries queries, UsePdCourseForHours use, SetHoursColumn column) : AppPageModel
{
    public HoursSettingsView View { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => View = await queries.GetAsync(Actor, LaunchCourseId, cancellationToken);

    public Task<IActionResult> OnPostAsync(CancellationToken cancellationToken) =>
        SubmitAsync(() => use.HandleAsync(Actor, LaunchCourseId, cancellationToken), "/app/district/hours",
            () => OnGetAsync(HttpContext.RequestAborted), "This course now receives the in-service hours.");

    public Task<IActionResult> OnPostColumnAsync(bool enabled, CancellationToken cancellationToken) =>
        SubmitAsync(() => column.HandleAsync(Actor, enabled, cancellationToken), "/app/district/hours",
            () => OnGetAsync(HttpContext.RequestAborted), enabled ? "The total now also goes to the “In-service hours” Canvas column." : "The Canvas column option is off.");

    private Guid? LaunchCourseId => LaunchUser.From(User)?.CourseId;
}
