using LtiMicroCred.Catalog;

namespace LtiMicroCred.Web.Pages.App.Calibration;

/// <summary>What the rubric radio groups need: the rubric, the levels already chosen, the field errors, and a prefix for unique ids.</summary>
public sealed record RubricLevelsInput(Rubric Rubric, IReadOnlyDictionary<string, int?> Selected, IReadOnlyDictionary<string, string> Errors, string Prefix);

public static class CalibrationText
{
    public static string Percent(double share) => share.ToString("P0", System.Globalization.CultureInfo.InvariantCulture);

    public static string Kappa(double kappa) => kappa.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    public static IReadOnlyDictionary<string, string> Errors(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary state) =>
        state.Where(s => s.Value is { Errors.Count: > 0 }).ToDictionary(s => s.Key, s => s.Value!.Errors[0].ErrorMessage);
}
