using CsvHelper;
using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Reports;

/// <summary>
/// One school's (or, with a null school, the district's) incentives of one kind in one budget year: its own budget
/// (null: none), what plan approvals reserved (released reservations not counted) and what the ledger awarded
/// (corrections included). For the district line, reserved and awarded are those of the schools without their own
/// budget of that kind, which spend the district's.
/// </summary>
public sealed record IncentiveLine(Guid? SchoolId, string Name, IncentiveKind Kind, decimal? Budget, decimal Reserved, decimal Awarded)
{
    public decimal? Remaining => Budget is { } b ? b - Reserved : null;
}

public sealed record IncentivesReport(ReportFilter Filter, int Year, IReadOnlyList<ReportOption> Schools, IReadOnlyList<ReportOption> Credentials, IReadOnlyList<IncentiveLine> Lines);

/// <summary>Incentives awarded and reserved against budget, per school and budget year (which starts on 1 July). Same readers as the other reports.</summary>
public sealed class IncentiveQueries(AppDbContext db, ReportQueries reports, TimeProvider clock)
{
    /// <summary>The CSV columns, in order: one row per school (empty id: the district budget line) and kind.</summary>
    public static readonly IReadOnlyList<string> CsvColumns = ["school_year", "school_id", "school_name", "kind", "budget", "reserved", "awarded", "remaining"];

    public async Task WriteCsvAsync(Actor actor, ReportFilter filter, int? year, Stream output, CancellationToken cancellationToken)
    {
        var report = await AgainstBudgetAsync(actor, filter, year, cancellationToken);
        await using var csv = CsvWriter.Create(output, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        csv.WriteHeader(CsvColumns.ToArray());
        foreach (var l in report.Lines)
        {
            csv.WriteField(BudgetYear.Describe(report.Year));
            csv.WriteField(l.SchoolId, "D");
            csv.WriteField(l.Name);
            csv.WriteField(Ledger.LedgerQueries.KindCode(l.Kind));
            csv.WriteField(l.Budget, "0.####");
            csv.WriteField(l.Reserved, "0.####");
            csv.WriteField(l.Awarded, "0.####");
            csv.WriteField(l.Remaining, "0.####");
            await csv.EndRecordAsync(cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
    }

    public async Task<IncentivesReport> AgainstBudgetAsync(Actor actor, ReportFilter filter, int? year, CancellationToken cancellationToken)
    {
        var (schools, credentials) = await reports.OptionsAsync(actor, filter, cancellationToken);
        var budgetYear = year ?? BudgetYear.Of(clock.GetUtcNow());
        if (budgetYear is < 2000 or > 2100)
        {
            throw InvalidInputException.For("year", "Choose a school year between 2000 and 2100.");
        }

        var start = new DateTimeOffset(budgetYear, 7, 1, 0, 0, 0, TimeSpan.Zero);
        var end = start.AddYears(1);
        var inScope = filter.SchoolId is { } one ? [one] : schools.Select(s => s.Id).ToList();
        var allSchools = actor.IsDistrictAdmin && filter.SchoolId is null;

        var ledger = db.LedgerEntries.AsNoTracking().Where(e => e.TenantId == actor.TenantId && e.ApprovedAt >= start && e.ApprovedAt < end);
        // A reservation against the district's budget has no school of its own: the attempt's school is the one it is for.
        var reservations = from r in db.BudgetReservations.AsNoTracking()
                           join a in db.Attempts on r.AttemptId equals a.Id
                           where r.TenantId == actor.TenantId && r.Year == budgetYear && r.ReleasedAt == null
                           select new { a.SchoolId, a.CredentialId, r.Kind, r.Amount };
        if (!allSchools)
        {
            ledger = ledger.Where(e => e.SchoolId != null && inScope.Contains(e.SchoolId.Value));
            reservations = reservations.Where(r => r.SchoolId != null && inScope.Contains(r.SchoolId.Value));
        }

        if (filter.CredentialId is { } credential)
        {
            ledger = ledger.Where(e => e.CredentialId == credential);
            reservations = reservations.Where(r => r.CredentialId == credential);
        }

        var awarded = await ledger.GroupBy(e => new { e.SchoolId, e.Kind }).Select(g => new { g.Key.SchoolId, g.Key.Kind, Amount = g.Sum(e => e.Amount) }).ToListAsync(cancellationToken);
        var reserved = await reservations.GroupBy(r => new { r.SchoolId, r.Kind }).Select(g => new { g.Key.SchoolId, g.Key.Kind, Amount = g.Sum(r => r.Amount) }).ToListAsync(cancellationToken);
        var budgets = await db.IncentiveBudgets.AsNoTracking().Where(b => b.TenantId == actor.TenantId && b.Year == budgetYear)
            .Select(b => new { b.SchoolId, b.Kind, b.Amount }).ToListAsync(cancellationToken);

        var names = schools.ToDictionary(s => s.Id, s => s.Name);
        var lines = new List<IncentiveLine>();
        var schoolKeys = awarded.Select(a => (a.SchoolId, a.Kind)).Concat(reserved.Select(r => (r.SchoolId, r.Kind)))
            .Concat(budgets.Where(b => b.SchoolId is { } id && (allSchools || inScope.Contains(id))).Select(b => (b.SchoolId, b.Kind)))
            .Where(k => k.SchoolId is not null).Distinct();
        var budgetOf = budgets.ToDictionary(b => (b.SchoolId, b.Kind), b => (decimal?)b.Amount);
        var reservedOf = reserved.GroupBy(r => (r.SchoolId, r.Kind)).ToDictionary(g => g.Key, g => g.Sum(r => r.Amount));
        var awardedOf = awarded.GroupBy(a => (a.SchoolId, a.Kind)).ToDictionary(g => g.Key, g => g.Sum(a => a.Amount));
        foreach (var (schoolId, kind) in schoolKeys)
        {
            lines.Add(new IncentiveLine(schoolId, names.GetValueOrDefault(schoolId!.Value, "Another school"), kind,
                budgetOf.GetValueOrDefault((schoolId, kind)), reservedOf.GetValueOrDefault((schoolId, kind)), awardedOf.GetValueOrDefault((schoolId, kind))));
        }

        if (allSchools)
        {
            // The district's budget pays for schools without their own budget of the kind, and for attempts without a school.
            var kinds = budgets.Where(b => b.SchoolId is null).Select(b => b.Kind)
                .Concat(lines.Where(l => l.Budget is null).Select(l => l.Kind))
                .Concat(awarded.Where(a => a.SchoolId is null).Select(a => a.Kind)).Concat(reserved.Where(r => r.SchoolId is null).Select(r => r.Kind)).Distinct();
            foreach (var kind in kinds)
            {
                var spending = lines.Where(l => l.Kind == kind && l.Budget is null).ToList();
                lines.Add(new IncentiveLine(null, "District budget (schools without their own)", kind,
                    budgets.SingleOrDefault(b => b.SchoolId is null && b.Kind == kind)?.Amount,
                    spending.Sum(l => l.Reserved) + reserved.Where(r => r.SchoolId is null && r.Kind == kind).Sum(r => r.Amount),
                    spending.Sum(l => l.Awarded) + awarded.Where(a => a.SchoolId is null && a.Kind == kind).Sum(a => a.Amount)));
            }
        }

        return new IncentivesReport(filter, budgetYear, schools, credentials,
            lines.OrderBy(l => l.SchoolId is null).ThenBy(l => l.Name, StringComparer.CurrentCulture).ThenBy(l => l.Kind).ToList());
    }
}
