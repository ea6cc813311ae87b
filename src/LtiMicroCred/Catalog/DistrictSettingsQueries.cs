using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Persistence;
using LtiMicroCred.Reports;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Catalog;

public sealed record SettingsOption(Guid Id, string Name);

public sealed record OfferingRow(Guid Id, Guid CredentialId, string Credential, bool Retired, Guid? SchoolId, string? School, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt,
    Incentive Incentive, bool Active);

/// <summary>A budget with what plan approvals reserved against it (awards keep their reservation) and what the ledger awarded.</summary>
public sealed record BudgetRow(Guid Id, int Year, Guid? SchoolId, string Where, IncentiveKind Kind, decimal Amount, decimal Reserved, decimal Awarded);

public sealed record OfferingsView(IReadOnlyList<OfferingRow> Offerings, IReadOnlyList<SettingsOption> Credentials, IReadOnlyList<SettingsOption> Schools);

public sealed record BudgetsView(int Year, IReadOnlyList<BudgetRow> Budgets, IReadOnlyList<SettingsOption> Schools);

/// <summary>What the district settings pages show. District administrators only.</summary>
public sealed class DistrictSettingsQueries(AppDbContext db, IncentiveQueries incentives, TimeProvider clock)
{
    /// <summary>The district's offerings, all of them or those of one school (<see cref="Guid.Empty"/>: the district-wide ones).</summary>
    public async Task<OfferingsView> OfferingsAsync(Actor actor, Guid? school, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var schools = await SchoolsAsync(actor, cancellationToken);
        var credentials = await db.Credentials.AsNoTracking().Where(c => c.TenantId == actor.TenantId)
            .Select(c => new { c.Id, c.Title, c.Retired }).ToListAsync(cancellationToken);
        var query = db.Offerings.AsNoTracking().Where(o => o.TenantId == actor.TenantId);
        if (school is { } one)
        {
            query = one == Guid.Empty ? query.Where(o => o.SchoolId == null) : query.Where(o => o.SchoolId == one);
        }

        var names = schools.ToDictionary(s => s.Id, s => s.Name);
        var titles = credentials.ToDictionary(c => c.Id);
        var rows = (await query.ToListAsync(cancellationToken))
            .Select(o => new OfferingRow(o.Id, o.CredentialId, titles[o.CredentialId].Title, titles[o.CredentialId].Retired, o.SchoolId,
                o.SchoolId is { } id ? names.GetValueOrDefault(id, "Another school") : null, o.WindowOpensAt, o.WindowClosesAt, o.Incentive, o.Active))
            .OrderBy(r => r.Credential, StringComparer.CurrentCulture).ThenBy(r => r.School is not null).ThenBy(r => r.School, StringComparer.CurrentCulture).ToList();
        return new OfferingsView(rows,
            credentials.OrderBy(c => c.Retired).ThenBy(c => c.Title, StringComparer.CurrentCulture)
                .Select(c => new SettingsOption(c.Id, c.Retired ? c.Title + " (retired: existing offerings only)" : c.Title)).ToList(), schools);
    }

    public async Task<OfferingRow> OfferingAsync(Actor actor, Guid offeringId, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var exists = await db.Offerings.AnyAsync(o => o.Id == offeringId && o.TenantId == actor.TenantId, cancellationToken);
        return exists ? (await OfferingsAsync(actor, null, cancellationToken)).Offerings.Single(o => o.Id == offeringId)
            : throw new NotFoundException("This offering is not in your district.");
    }

    /// <summary>One budget year's budgets (null: the current year, which starts on 1 July).</summary>
    public async Task<BudgetsView> BudgetsAsync(Actor actor, int? year, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        // The report checks the year and gives what the ledger awarded per school, and the district line for schools without a budget.
        var report = await incentives.AgainstBudgetAsync(actor, new ReportFilter(), year ?? BudgetYear.Of(clock.GetUtcNow()), cancellationToken);
        var schools = await SchoolsAsync(actor, cancellationToken);
        var names = schools.ToDictionary(s => s.Id, s => s.Name);
        var budgets = await db.IncentiveBudgets.AsNoTracking().Where(b => b.TenantId == actor.TenantId && b.Year == report.Year).ToListAsync(cancellationToken);
        var reserved = await db.BudgetReservations.AsNoTracking().Where(r => r.TenantId == actor.TenantId && r.Year == report.Year && r.ReleasedAt == null)
            .GroupBy(r => new { r.SchoolId, r.Kind }).Select(g => new { g.Key.SchoolId, g.Key.Kind, Amount = g.Sum(r => r.Amount) }).ToListAsync(cancellationToken);
        var rows = budgets.Select(b => new BudgetRow(b.Id, b.Year, b.SchoolId, b.SchoolId is { } id ? names.GetValueOrDefault(id, "Another school") : "The district (schools without their own)",
                b.Kind, b.Amount,
                reserved.Where(r => r.SchoolId == b.SchoolId && r.Kind == b.Kind).Sum(r => r.Amount),
                report.Lines.Where(l => l.SchoolId == b.SchoolId && l.Kind == b.Kind).Sum(l => l.Awarded)))
            .OrderBy(r => r.SchoolId is not null).ThenBy(r => r.Where, StringComparer.CurrentCulture).ThenBy(r => r.Kind).ToList();
        return new BudgetsView(report.Year, rows, schools);
    }

    public async Task<BudgetRow> BudgetAsync(Actor actor, Guid budgetId, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var year = await db.IncentiveBudgets.AsNoTracking().Where(b => b.Id == budgetId && b.TenantId == actor.TenantId).Select(b => (int?)b.Year).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("This budget is not in your district.");
        return (await BudgetsAsync(actor, year, cancellationToken)).Budgets.Single(b => b.Id == budgetId);
    }

    private async Task<List<SettingsOption>> SchoolsAsync(Actor actor, CancellationToken cancellationToken) =>
        (await db.Schools.AsNoTracking().Where(s => s.TenantId == actor.TenantId).Select(s => new SettingsOption(s.Id, s.Name)).ToListAsync(cancellationToken))
        .OrderBy(s => s.Name, StringComparer.CurrentCulture).ToList();
}
