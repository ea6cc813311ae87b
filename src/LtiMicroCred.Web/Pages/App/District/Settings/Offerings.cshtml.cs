using LtiMicroCred.Catalog;
using Microsoft.AspNetCore.Mvc;

namespace LtiMicroCred.Web.Pages.App.District.Settings;

/// <summary>The district's offerings: where each microcredential is offered, its submission window and incentive; add and edit.</summary>
public sealed class OfferingsModel(DistrictSettingsQueries queries, SaveOffering save) : AppPageModel
{
    /// <summary>The filter's value for the district-wide offerings (a school filter is a school's id).</summary>
    public const string DistrictWide = "district";

    /// <summary>The form's values as typed, so a refused form shows them again.</summary>
    public sealed record Form(Guid? Id, string Credential, string School, string Opens, string Closes, IncentiveKind Kind, string Amount, string PerUnit, bool Active);

    public OfferingsView View { get; private set; } = null!;

    public string Filter { get; private set; } = string.Empty;

    public Form Values { get; private set; } = new(null, string.Empty, string.Empty, string.Empty, string.Empty, IncentiveKind.InServiceHours, "0", "1", true);

    /// <param name="credential">Preselected in the add form (the catalog editor links here after saving a credential nobody offers yet).</param>
    public async Task OnGetAsync(string? school, Guid? edit, Guid? credential, CancellationToken cancellationToken)
    {
        Filter = school ?? string.Empty;
        Guid? schoolFilter = school == DistrictWide ? Guid.Empty : Guid.TryParse(school, out var id) ? id : null;
        View = await queries.OfferingsAsync(Actor, schoolFilter, cancellationToken);
        if (credential is { } preselected && View.Credentials.Any(c => c.Id == preselected))
        {
            Values = Values with { Credential = preselected.ToString() };
        }

        if (edit is { } offeringId)
        {
            var o = await queries.OfferingAsync(Actor, offeringId, cancellationToken);
            Values = new Form(o.Id, o.CredentialId.ToString(), o.SchoolId?.ToString() ?? string.Empty, SettingsForm.Date(o.OpensAt), SettingsForm.Date(o.ClosesAt),
                o.Incentive.Kind, SettingsForm.Number(o.Incentive.Amount), o.Incentive.CredentialsPerUnit.ToString(System.Globalization.CultureInfo.InvariantCulture), o.Active);
        }
    }

    public Task<IActionResult> OnPostAsync(Guid? id, string? credential, string? school, string? opens, string? closes, IncentiveKind kind, string? amount, string? perUnit, bool active,
        CancellationToken cancellationToken)
    {
        var typed = new Form(id, credential ?? string.Empty, school ?? string.Empty, opens ?? string.Empty, closes ?? string.Empty, kind, amount ?? string.Empty, perUnit ?? "1", active);
        return SubmitAsync(async () =>
            {
                var form = new SettingsForm();
                var input = new OfferingInput(Guid.TryParse(credential, out var c) ? c : Guid.Empty, form.School("school", school), form.Date("opens", opens, "The opening date"),
                    form.Date("closes", closes, "The closing date"), kind, form.Number("amount", amount, "The amount"),
                    kind == IncentiveKind.CpdUnits ? form.Whole("perUnit", perUnit, "Credentials per unit") : 1, active);
                form.ThrowIfInvalid();
                await save.HandleAsync(Actor, id, input, cancellationToken);
            },
            "/app/district/offerings", async () =>
            {
                await OnGetAsync(null, null, null, cancellationToken);
                Values = typed;
            }, id is null ? "The offering is added." : "The offering is saved.");
    }

    public static string KindName(IncentiveKind kind) => kind switch
    {
        IncentiveKind.None => "No incentive",
        IncentiveKind.InServiceHours => "In-service hours",
        IncentiveKind.PdPoints => "PD points",
        IncentiveKind.CpdUnits => "CPD units",
        IncentiveKind.Stipend => "Stipend (dollars)",
        IncentiveKind.SalaryStep => "Salary step",
        _ => kind.ToString(),
    };
}
