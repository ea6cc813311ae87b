using CsvHelper;
using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Reports;

/// <summary>Which attempts a report counts: one school (null: every school the actor may see), one credential, attempts started from/to (inclusive, UTC).</summary>
public sealed record ReportFilter(Guid? SchoolId = null, Guid? CredentialId = null, DateOnly? From = null, DateOnly? To = null);

public sealed record ReportOption(Guid Id, string Name);

public sealed record StatusCount(AttemptStatus Status, int Count);

/// <summary>One school's or one credential's attempts: all, still open, awarded, "not yet" (resubmitted ones included).</summary>
public sealed record ProgressLine(Guid? Id, string Name, int Attempts, int Open, int Awarded, int NotYet);

/// <summary>Attempts started and attempts awarded in one calendar month (UTC).</summary>
public sealed record MonthCount(DateOnly Month, int Started, int Awarded);

/// <summary>A median over at most <see cref="ReportQueries.MedianSample"/> of the most recent cases, and how many it was taken over.</summary>
public sealed record MedianDuration(TimeSpan? Median, int Sample);

public sealed record ProgressReport(
    ReportFilter Filter,
    IReadOnlyList<ReportOption> Schools,
    IReadOnlyList<ReportOption> Credentials,
    int Attempts,
    IReadOnlyList<StatusCount> ByStatus,
    IReadOnlyList<ProgressLine> BySchool,
    IReadOnlyList<ProgressLine> ByCredential,
    IReadOnlyList<MonthCount> OverTime,
    MedianDuration SubmissionToDecision,
    MedianDuration AllocationToReview,
    int NotYetDecisions,
    int Resubmitted)
{
    /// <summary>Of the attempts that got a "not yet", the share resubmitted (null when none got one).</summary>
    public double? ResubmissionRate => NotYetDecisions == 0 ? null : (double)Resubmitted / NotYetDecisions;
}

/// <summary>
/// The district and principal reports. A district admin reads every school; a principal the schools they lead; anyone
/// else is refused. Counts are aggregate queries (GROUP BY in the database); medians are taken over the most recent
/// <see cref="MedianSample"/> cases of the filter, so a page never reads more than that many rows.
/// </summary>
public sealed class ReportQueries(AppDbContext db, TimeProvider clock)
{
    public const int MedianSample = 5000;

    /// <summary>How many months the "over time" series shows at most (the last ones of the range).</summary>
    public const int MaxMonths = 24;

    public async Task<ProgressReport> ProgressAsync(Actor actor, ReportFilter filter, CancellationToken cancellationToken)
    {
        var (schools, credentials) = await OptionsAsync(actor, filter, cancellationToken);
        var attempts = Attempts(actor, filter);

        // Two small GROUP BYs (each served by an index on tenant, school or credential, and status) rather than one by
        // school, credential and status, which at district scale returns a hundred thousand groups.
        var schoolGroups = await attempts.GroupBy(a => new { a.SchoolId, a.Status })
            .Select(g => new { g.Key.SchoolId, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var groups = await attempts.GroupBy(a => new { a.CredentialId, a.Status })
            .Select(g => new { g.Key.CredentialId, g.Key.Status, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var byStatus = Enum.GetValues<AttemptStatus>()
            .Select(s => new StatusCount(s, groups.Where(g => g.Status == s).Sum(g => g.Count)))
            .ToList();
        var schoolNames = schools.ToDictionary(s => s.Id, s => s.Name);
        var bySchool = schoolGroups.GroupBy(g => g.SchoolId)
            .Select(g => Line(g.Key, g.Key is { } id ? schoolNames.GetValueOrDefault(id, "Unknown school") : "No school", g.Select(x => (x.Status, x.Count))))
            .OrderBy(l => l.Id is null).ThenBy(l => l.Name, StringComparer.CurrentCulture).ToList();
        var credentialNames = credentials.ToDictionary(c => c.Id, c => c.Name);
        var byCredential = groups.GroupBy(g => g.CredentialId)
            .Select(g => Line(g.Key, credentialNames.GetValueOrDefault(g.Key, "Unknown microcredential"), g.Select(x => (x.Status, x.Count))))
            .OrderBy(l => l.Name, StringComparer.CurrentCulture).ToList();

        var notYet = byStatus.Where(s => s.Status is AttemptStatus.NotYet or AttemptStatus.Resubmitted).Sum(s => s.Count);
        var resubmitted = byStatus.Single(s => s.Status == AttemptStatus.Resubmitted).Count;

        return new ProgressReport(filter, schools, credentials, groups.Sum(g => g.Count), byStatus, bySchool, byCredential,
            await OverTimeAsync(actor, attempts, filter, cancellationToken),
            await DecisionMedianAsync(actor.TenantId, attempts, FromAttempts(filter), cancellationToken),
            await ReviewMedianAsync(actor.TenantId, attempts, FromAttempts(filter), cancellationToken),
            notYet, resubmitted);
    }

    /// <summary>The schools the actor may filter by and the tenant's credentials; refuses anyone but principals and district admins.</summary>
    internal async Task<(List<ReportOption> Schools, List<ReportOption> Credentials)> OptionsAsync(Actor actor, ReportFilter filter, CancellationToken cancellationToken)
    {
        if (!actor.IsDistrictAdmin && actor.PrincipalOf.Count == 0)
        {
            throw new ForbiddenException("Only principals and district administrators can read the reports.");
        }

        if (filter.SchoolId is { } chosen && !actor.LeadsSchool(chosen))
        {
            throw new ForbiddenException("You can only read the reports of the schools you lead.");
        }

        if (filter.From is { } from && filter.To is { } to && to < from)
        {
            throw InvalidInputException.For("to", "The end of the date range is before its start.");
        }

        var schools = await db.Schools.AsNoTracking().Where(s => s.TenantId == actor.TenantId).OrderBy(s => s.Name)
            .Select(s => new ReportOption(s.Id, s.Name)).ToListAsync(cancellationToken);
        if (filter.SchoolId is { } school && schools.All(s => s.Id != school))
        {
            throw new NotFoundException("This school does not exist.");
        }

        if (!actor.IsDistrictAdmin)
        {
            schools = schools.Where(s => actor.PrincipalOf.Contains(s.Id)).ToList();
        }

        var credentials = await db.Credentials.AsNoTracking().Where(c => c.TenantId == actor.TenantId).OrderBy(c => c.Title)
            .Select(c => new ReportOption(c.Id, c.Title)).ToListAsync(cancellationToken);
        if (filter.CredentialId is { } credential && credentials.All(c => c.Id != credential))
        {
            throw new NotFoundException("This microcredential does not exist.");
        }

        return (schools, credentials);
    }

    /// <summary>The attempts the filter and the actor's schools select.</summary>
    internal IQueryable<Attempt> Attempts(Actor actor, ReportFilter filter)
    {
        var attempts = db.Attempts.AsNoTracking().Where(a => a.TenantId == actor.TenantId);
        if (filter.SchoolId is { } school)
        {
            attempts = attempts.Where(a => a.SchoolId == school);
        }
        else if (!actor.IsDistrictAdmin)
        {
            var led = actor.PrincipalOf.ToList();
            attempts = attempts.Where(a => a.SchoolId != null && led.Contains(a.SchoolId.Value));
        }

        if (filter.CredentialId is { } credential)
        {
            attempts = attempts.Where(a => a.CredentialId == credential);
        }

        if (filter.From is { } from)
        {
            var start = Start(from);
            attempts = attempts.Where(a => a.CreatedAt >= start);
        }

        if (filter.To is { } to)
        {
            var end = Start(to.AddDays(1));
            attempts = attempts.Where(a => a.CreatedAt < end);
        }

        return attempts;
    }

    private static DateTimeOffset Start(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static ProgressLine Line(Guid? id, string name, IEnumerable<(AttemptStatus Status, int Count)> counts)
    {
        var list = counts.ToList();
        return new ProgressLine(id, name, list.Sum(c => c.Count),
            list.Where(c => !AttemptStateMachine.IsClosed(c.Status)).Sum(c => c.Count),
            list.Where(c => c.Status == AttemptStatus.Awarded).Sum(c => c.Count),
            list.Where(c => c.Status is AttemptStatus.NotYet or AttemptStatus.Resubmitted).Sum(c => c.Count));
    }

    // The months from the first with an attempt (or the filter's start) to the last of the range, at most MaxMonths.
    // One GROUP BY on the UTC year and month where the provider translates them (PostgreSQL, SQL Server); SQLite stores
    // times as numbers, so there it is one COUNT per month bucket (a range on the indexed start time).
    private async Task<List<MonthCount>> OverTimeAsync(Actor actor, IQueryable<Attempt> attempts, ReportFilter filter, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var last = filter.To is { } to && to < today ? to : today;
        var lastMonth = new DateOnly(last.Year, last.Month, 1);
        var firstMonth = lastMonth.AddMonths(-(MaxMonths - 1));
        if (filter.From is { } from && new DateOnly(from.Year, from.Month, 1) > firstMonth)
        {
            firstMonth = new DateOnly(from.Year, from.Month, 1);
        }

        var floor = Start(firstMonth);
        var ceiling = Start(lastMonth.AddMonths(1));
        var awarded = db.AttemptDecisions.AsNoTracking()
            .Where(d => d.Outcome == Decisions.DecisionOutcome.Awarded && d.DecidedAt >= floor && d.DecidedAt < ceiling);
        if (actor.IsDistrictAdmin && filter is { SchoolId: null, From: null, To: null })
        {
            // Every attempt of the tenant (or of one credential) counts: the decision's own tenant and version say so,
            // without a join to the attempts (a district-wide semi-join over hundreds of thousands of them).
            awarded = awarded.Where(d => d.TenantId == actor.TenantId);
            if (filter.CredentialId is { } credential)
            {
                awarded = awarded.Where(d => db.CredentialVersions.Any(v => v.Id == d.CredentialVersionId && v.CredentialId == credential));
            }
        }
        else
        {
            awarded = awarded.Where(d => attempts.Any(a => a.Id == d.AttemptId));
        }

        var inRange = attempts.Where(a => a.CreatedAt >= floor && a.CreatedAt < ceiling);
        if (db.Database.ProviderName == AppDbContext.SqliteProviderName)
        {
            return await OverTimeByCountsAsync(inRange, awarded, filter.From is null, firstMonth, lastMonth, cancellationToken);
        }

        var started = await inRange.GroupBy(a => new { a.CreatedAt.Year, a.CreatedAt.Month })
            .Select(g => new { g.Key.Year, g.Key.Month, Count = g.Count() }).ToListAsync(cancellationToken);
        var won = await awarded.GroupBy(d => new { d.DecidedAt.Year, d.DecidedAt.Month })
            .Select(g => new { g.Key.Year, g.Key.Month, Count = g.Count() }).ToListAsync(cancellationToken);
        if (filter.From is null)
        {
            // Without a start, begin at the first month that has an attempt (within the last MaxMonths).
            firstMonth = started.Count == 0 ? lastMonth : started.Select(m => new DateOnly(m.Year, m.Month, 1)).Min();
        }

        var startedBy = started.ToDictionary(m => new DateOnly(m.Year, m.Month, 1), m => m.Count);
        var wonBy = won.ToDictionary(m => new DateOnly(m.Year, m.Month, 1), m => m.Count);
        var months = new List<MonthCount>();
        for (var month = firstMonth; month <= lastMonth; month = month.AddMonths(1))
        {
            months.Add(new MonthCount(month, startedBy.GetValueOrDefault(month), wonBy.GetValueOrDefault(month)));
        }

        return months;
    }

    private static async Task<List<MonthCount>> OverTimeByCountsAsync(IQueryable<Attempt> attempts, IQueryable<Decisions.AttemptDecision> awarded, bool fromFirstAttempt, DateOnly firstMonth, DateOnly lastMonth, CancellationToken cancellationToken)
    {
        if (fromFirstAttempt)
        {
            var earliest = await attempts.OrderBy(a => a.CreatedAt).Select(a => (DateTimeOffset?)a.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            firstMonth = earliest is { } e ? new DateOnly(e.UtcDateTime.Year, e.UtcDateTime.Month, 1) : lastMonth;
        }

        var months = new List<MonthCount>();
        for (var month = firstMonth; month <= lastMonth; month = month.AddMonths(1))
        {
            var start = Start(month);
            var end = Start(month.AddMonths(1));
            var started = await attempts.CountAsync(a => a.CreatedAt >= start && a.CreatedAt < end, cancellationToken);
            var won = await awarded.CountAsync(d => d.DecidedAt >= start && d.DecidedAt < end, cancellationToken);
            months.Add(new MonthCount(month, started, won));
        }

        return months;
    }

    // Without a date or credential filter the medians walk the tenant's decisions (reviews) newest first on the
    // (TenantId, DecidedAt/SubmittedAt) index and stop at MedianSample, instead of sorting all of them. With a date
    // filter (on when attempts started) that walk may pass every newer case before it finds the window's, and with a
    // credential filter it passes every other credential's cases (at Tennessee scale, one credential's review median
    // took 230 ms that way, 100 ms the other), so the sample is instead the cases of the attempts started latest in the
    // filter: attempts first, joined by attempt id.
    private static bool FromAttempts(ReportFilter filter) => filter.From is not null || filter.To is not null || filter.CredentialId is not null;

    private async Task<MedianDuration> DecisionMedianAsync(Guid tenantId, IQueryable<Attempt> attempts, bool dated, CancellationToken cancellationToken)
    {
        var pairs = from d in db.AttemptDecisions.AsNoTracking()
                    join a in attempts on d.AttemptId equals a.Id
                    where a.SubmittedAt != null
                    select new { d.TenantId, a.CreatedAt, Submitted = a.SubmittedAt!.Value, d.DecidedAt };
        var sample = dated
            ? pairs.OrderByDescending(p => p.CreatedAt)
            : pairs.Where(p => p.TenantId == tenantId).OrderByDescending(p => p.DecidedAt);
        var taken = await sample.Select(p => new { p.Submitted, p.DecidedAt }).Take(MedianSample).ToListAsync(cancellationToken);
        return Median(taken.Select(p => p.DecidedAt - p.Submitted));
    }

    private async Task<MedianDuration> ReviewMedianAsync(Guid tenantId, IQueryable<Attempt> attempts, bool dated, CancellationToken cancellationToken)
    {
        var pairs = from r in db.ReviewAssignments.AsNoTracking()
                    join a in attempts on r.AttemptId equals a.Id
                    where r.SubmittedAt != null
                    select new { r.TenantId, a.CreatedAt, r.AllocatedAt, Submitted = r.SubmittedAt!.Value };
        var sample = dated
            ? pairs.OrderByDescending(p => p.CreatedAt)
            : pairs.Where(p => p.TenantId == tenantId).OrderByDescending(p => p.Submitted);
        var taken = await sample.Select(p => new { p.AllocatedAt, p.Submitted }).Take(MedianSample).ToListAsync(cancellationToken);
        return Median(taken.Select(p => p.Submitted - p.AllocatedAt));
    }

    /// <summary>The CSV columns of the progress report, in order: one row per status, school, credential and month.</summary>
    public static readonly IReadOnlyList<string> ProgressCsvColumns = ["breakdown", "id", "label", "attempts", "open", "awarded", "not_yet"];

    /// <summary>
    /// The progress report as CSV: rows with breakdown "status" (attempts in that status), "school" and "credential"
    /// (attempts, open, awarded, not yet), "month" (label yyyy-MM: attempts started, awarded that month).
    /// </summary>
    public async Task WriteProgressCsvAsync(Actor actor, ReportFilter filter, Stream output, CancellationToken cancellationToken)
    {
        var report = await ProgressAsync(actor, filter, cancellationToken);
        await using var csv = CsvWriter.Create(output, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        csv.WriteHeader(ProgressCsvColumns.ToArray());
        foreach (var s in report.ByStatus)
        {
            await RowAsync(csv, "status", null, s.Status.ToString(), s.Count, null, null, null, cancellationToken);
        }

        foreach (var l in report.BySchool)
        {
            await RowAsync(csv, "school", l.Id, l.Name, l.Attempts, l.Open, l.Awarded, l.NotYet, cancellationToken);
        }

        foreach (var l in report.ByCredential)
        {
            await RowAsync(csv, "credential", l.Id, l.Name, l.Attempts, l.Open, l.Awarded, l.NotYet, cancellationToken);
        }

        foreach (var m in report.OverTime)
        {
            await RowAsync(csv, "month", null, m.Month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), m.Started, null, m.Awarded, null, cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
    }

    private static async Task RowAsync(CsvWriter csv, string breakdown, Guid? id, string label, int attempts, int? open, int? awarded, int? notYet, CancellationToken cancellationToken)
    {
        csv.WriteField(breakdown);
        csv.WriteField(id, "D");
        csv.WriteField(label);
        csv.WriteField(attempts, "D");
        csv.WriteField(open, "D");
        csv.WriteField(awarded, "D");
        csv.WriteField(notYet, "D");
        await csv.EndRecordAsync(cancellationToken);
    }

    internal static MedianDuration Median(IEnumerable<TimeSpan> durations)
    {
        var sorted = durations.Select(d => d < TimeSpan.Zero ? TimeSpan.Zero : d).Order().ToList();
        if (sorted.Count == 0)
        {
            return new MedianDuration(null, 0);
        }

        var mid = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[mid] : sorted[mid - 1] + ((sorted[mid] - sorted[mid - 1]) / 2);
        return new MedianDuration(median, sorted.Count);
    }
}
