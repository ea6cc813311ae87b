using System.Globalization;
using LtiMicroCred.Catalog;
using LtiMicroCred.Ledger;

namespace LtiMicroCred.Web.Pages.App.Ledger;

/// <summary>How the ledger pages write amounts and kinds.</summary>
public static class LedgerText
{
    public static string Amount(decimal amount) => amount.ToString("0.####", CultureInfo.InvariantCulture);

    public static string Amount(decimal? amount) => amount is { } a ? Amount(a) : "—";

    public static string Kind(IncentiveKind kind) => kind switch
    {
        IncentiveKind.InServiceHours => "In-service hours",
        IncentiveKind.PdPoints => "PD points",
        IncentiveKind.CpdUnits => "CPD units",
        IncentiveKind.Stipend => "Stipend (dollars)",
        IncentiveKind.SalaryStep => "Salary steps",
        _ => "None",
    };

    public static string Type(LedgerRow row) => row.EntryType == LedgerEntryType.Correction ? "Correction (reverses an earlier entry)"
        : row.Reason is null ? "Award" : "Award (corrected)";

    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
