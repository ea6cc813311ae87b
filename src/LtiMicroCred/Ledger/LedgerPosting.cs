using System.Globalization;
using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Audit;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Ledger;

/// <summary>
/// Adds an award's ledger entry to the decision's unit of work: <see cref="DecideAttempt"/> saves it with the decision,
/// so there is an entry exactly when there is an award. Nothing is saved here.
/// </summary>
public sealed class LedgerPosting(AppDbContext db, AuditLog audit, ResultPosting.Webhooks.LedgerWebhook webhook, ResultPosting.Hours.HoursPassback hours)
{
    public async Task<LedgerEntry?> AddAwardAsync(Actor actor, Attempt attempt, AttemptDecision decision, CancellationToken cancellationToken)
    {
        if (decision.Outcome != DecisionOutcome.Awarded || decision.Incentive is not { } incentive || incentive.Kind == IncentiveKind.None || incentive.PerAward <= 0)
        {
            return null;
        }

        var rate = await CpdRateAsync(db, attempt.TenantId, cancellationToken);
        var entry = new LedgerEntry
        {
            Id = Guid.NewGuid(),
            TenantId = attempt.TenantId,
            TeacherId = attempt.TeacherId,
            SchoolId = attempt.SchoolId,
            CredentialId = attempt.CredentialId,
            CredentialVersionId = attempt.CredentialVersionId,
            AttemptId = attempt.Id,
            DecisionId = decision.Id,
            Kind = incentive.Kind,
            Amount = Round(incentive.PerAward),
            ApprovedBy = decision.DecidedBy,
            ApprovedAt = decision.DecidedAt,
            EntryType = LedgerEntryType.Award,
        };
        entry.CpdUnits = CpdUnits(entry.Kind, entry.Amount, rate);
        db.LedgerEntries.Add(entry);
        await webhook.EnqueueAsync(entry.TenantId, [entry], cancellationToken);
        await hours.EnqueueAsync(entry.TenantId, [entry], cancellationToken);
        audit.Record(actor, "ledger.awarded", "ledger-entry", entry.Id, $"{Describe(entry.Kind, entry.Amount)} for attempt {attempt.Number}");
        return entry;
    }

    internal static async Task<decimal?> CpdRateAsync(AppDbContext db, Guid tenantId, CancellationToken cancellationToken) =>
        await db.LedgerSettings.AsNoTracking().Where(s => s.TenantId == tenantId).Select(s => s.CpdUnitsPerHour).SingleOrDefaultAsync(cancellationToken);

    internal static decimal? CpdUnits(IncentiveKind kind, decimal amount, decimal? unitsPerHour) => kind switch
    {
        IncentiveKind.CpdUnits => amount,
        IncentiveKind.InServiceHours when unitsPerHour is { } rate => Round(amount * rate),
        _ => null,
    };

    /// <summary>The ledger keeps four decimals (a CPD unit split over three credentials).</summary>
    internal static decimal Round(decimal amount) => Math.Round(amount, 4, MidpointRounding.AwayFromZero);

    public static string Unit(IncentiveKind kind) => kind switch
    {
        IncentiveKind.InServiceHours => "in-service hours",
        IncentiveKind.PdPoints => "PD points",
        IncentiveKind.CpdUnits => "CPD units",
        IncentiveKind.Stipend => "stipend (dollars)",
        IncentiveKind.SalaryStep => "salary steps",
        _ => "none",
    };

    public static string Describe(IncentiveKind kind, decimal amount) => $"{amount.ToString("0.####", CultureInfo.InvariantCulture)} {Unit(kind)}";
}
