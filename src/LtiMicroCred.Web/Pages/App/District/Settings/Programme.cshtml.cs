using LtiMicroCred.Catalog;
using LtiMicroCred.Persistence;
using LtiMicroCred.ResultPosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Web.Pages.App.District.Settings;

/// <summary>The district's programme rules: plan approval and what a decision posts to the gradebook. Review rules are on their own page.</summary>
public sealed class ProgrammeModel(AppDbContext db, SetProgrammeSettings set) : AppPageModel
{
    public ProgrammeSettings Settings { get; private set; } = new();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Actor.RequireDistrictAdmin();
        Settings = await db.ProgrammeSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == Actor.TenantId, cancellationToken) ?? new ProgrammeSettings();
    }

    public Task<IActionResult> OnPostAsync(bool requirePlanApproval, GradeScale gradeScale, NotYetGrade notYetGrade, CancellationToken cancellationToken) =>
        SubmitAsync(() => set.HandleAsync(Actor, requirePlanApproval, gradeScale, notYetGrade, cancellationToken), "/app/district/programme",
            () => OnGetAsync(cancellationToken), "The programme settings are saved.");
}
