using System.Globalization;
using LtiMicroCred.Catalog;

namespace LtiMicroCred.Web.Pages.App.Catalog;

/// <summary>How catalog values read on a page, in the words districts use for them.</summary>
public static class CatalogText
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    public static string Incentive(Incentive incentive) => incentive.Kind switch
    {
        IncentiveKind.InServiceHours => $"{Number(incentive.Amount)} in-service hours",
        IncentiveKind.PdPoints => $"{Number(incentive.Amount)} professional development points",
        IncentiveKind.CpdUnits when incentive.CredentialsPerUnit > 1 =>
            $"{Number(incentive.Amount)} CPD unit{(incentive.Amount == 1 ? string.Empty : "s")} for every {incentive.CredentialsPerUnit} credentials earned",
        IncentiveKind.CpdUnits => $"{Number(incentive.Amount)} CPD units",
        IncentiveKind.Stipend => $"{incentive.Amount.ToString("C0", English)} stipend",
        IncentiveKind.SalaryStep => "Counts toward a salary step",
        _ => "No incentive",
    };

    public static string Window(DateTimeOffset? opens, DateTimeOffset? closes) => (opens, closes) switch
    {
        (null, null) => "open, no closing date",
        (null, { } c) => $"open until {Date(c)}",
        ({ } o, null) => $"opens {Date(o)}, no closing date",
        ({ } o, { } c) => $"{Date(o)} to {Date(c)}",
    };

    public static string Where(OfferTerms offer) => offer.SchoolName is { } school ? $"Offered at {school}" : "Offered district-wide";

    public static string Kind(EvidenceKind kind) => kind switch
    {
        EvidenceKind.WorkSample => "Work sample",
        EvidenceKind.StudentWork => "Student work",
        EvidenceKind.SmartGoal => "SMART goal",
        EvidenceKind.OverviewQuestions => "Overview questions",
        EvidenceKind.TimeTracker => "Time tracker",
        _ => kind.ToString(),
    };

    public static string? Length(SubmissionCriterion criterion) => (criterion.MinMinutes, criterion.MaxMinutes) switch
    {
        ({ } min, { } max) => $"{min} to {max} minutes",
        ({ } min, null) => $"at least {min} minutes",
        (null, { } max) => $"at most {max} minutes",
        _ => null,
    };

    public static string Reward(PathwayRules rules) => rules.Reward switch
    {
        PathwayReward.SalaryStep => "Completing it opens a salary step" + Detail(rules.RewardDetail),
        PathwayReward.Role => "Completing it opens a role" + Detail(rules.RewardDetail),
        _ => string.Empty,
    };

    private static string Detail(string? detail) => detail is { Length: > 0 } ? $": {detail}." : ".";

    private static string Number(decimal value) => value.ToString("0.##", English);

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("d MMMM yyyy", English);
}
