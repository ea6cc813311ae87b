using LtiMicroCred.Catalog;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District.Settings;

/// <summary>The district's incentive budgets of one school year, with what is reserved and awarded against each; add and change.</summary>
public sealed class BudgetsModel(DistrictSettingsQueries queries, SaveBudget save) : AppPageModel
{
    public sealed record Form(Guid? Id, string Year, string School, IncentiveKind Kind, string Amount);

    public BudgetsView View { get; private set; } = null!;

    public Form Values { get; private set; } = new(null, string.Empty, string.Empty, IncentiveKind.InServiceHours, string.Empty);

    /// <summary>The budget being changed, when the form edits one.</summary>
    public BudgetRow? Editing { get; private set; }

    public async Task OnGetAsync(int? year, Guid? edit, CancellationToken cancellationToken)
    {
        View = await queries.BudgetsAsync(Actor, year, cancellationToken);
        Values = Values with { Year = View.Year.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (edit is { } id)
        {
            Editing = await queries.BudgetAsync(Actor, id, cancellationToken);
            Values = new Form(id, Editing.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), Editing.SchoolId?.ToString() ?? string.Empty, Editing.Kind,
                SettingsForm.Number(Editing.Amount));
        }
    }

    public Task<IActionResult> OnPostAsync(Guid? id, string? year, string? school, IncentiveKind kind, string? amount, CancellationToken cancellationToken)
    {
        var typed = new Form(id, year ?? string.Empty, school ?? string.Empty, kind, amount ?? string.Empty);
        return SubmitAsync(async () =>
            {
                var form = new SettingsForm();
                var input = new BudgetInput(id is null ? form.Whole("year", year, "The school year") : 0, form.School("school", school), kind, form.Number("amount", amount, "The amount"));
                form.ThrowIfInvalid();
                await save.HandleAsync(Actor, id, input, cancellationToken);
            },
            "/app/district/budgets", async () =>
            {
                await OnGetAsync(int.TryParse(year, out var y) && y is >= 2000 and <= 2100 ? y : null, id, cancellationToken);
                Values = typed;
            }, id is null ? "The budget is added." : "The budget is saved.");
    }
}
