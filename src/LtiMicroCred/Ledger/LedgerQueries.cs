using CsvHelper;
using LtiMicroCred.Access;
using LtiMicroCred.Catalog;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Ledger;

/// <summary>Which entries: a school (null: every school the actor may see), approval dates (inclusive, UTC), part of a teacher's name.</summary>
public sealed record LedgerFilter(Guid? SchoolId = null, DateOnly? From = null, DateOnly? To = null, string? Teacher = null);

public sealed record LedgerRow(
    Guid Id,
    DateTimeOffset ApprovedAt,
    Guid TeacherId,
    string TeacherName,
    Guid? SchoolId,
    string? SchoolName,
    Guid CredentialId,
    string CredentialTitle,
    int CredentialVersion,
    Guid AttemptId,
    Guid DecisionId,
    IncentiveKind Kind,
    decimal Amount,
    decimal? CpdUnits,
    LedgerEntryType EntryType,
    Guid? ReversesEntryId,
    string? Reason,
    string ApprovedByName,
    bool Reversed);

/// <summary>The sum of one kind's entries (corrections included), and of their CPD units where the kind converts.</summary>
public sealed record LedgerTotal(IncentiveKind Kind, decimal Amount, decimal? CpdUnits);

/// <summary>One line of a teacher's own ledger, with the running total of its kind after it.</summary>
public sealed record TeacherLedgerLine(LedgerRow Row, decimal RunningTotal);

public sealed record TeacherLedgerView(IReadOnlyList<TeacherLedgerLine> Lines, IReadOnlyList<LedgerTotal> Totals);

public sealed record LedgerSchool(Guid Id, string Name);

public sealed record DistrictLedgerView(
    IReadOnlyList<LedgerRow> Rows,
    int Count,
    IReadOnlyList<LedgerTotal> Totals,
    IReadOnlyList<LedgerSchool> Schools,
    LedgerFilter Filter,
    decimal? CpdUnitsPerHour)
{
    public bool HasMore => Count > Rows.Count;
}

/// <summary>
/// The ledger as teachers, principals and district admins read it: a teacher their own entries; a principal the
/// entries of the schools they lead; a district admin every school's. The CSV export (docs/ledger-csv.md) streams the
/// same filter as the page, oldest first.
/// </summary>
public sealed class LedgerQueries(AppDbContext db)
{
    public const int PageLength = 200;

    /// <summary>The CSV columns, in order (docs/ledger-csv.md).</summary>
    public static readonly IReadOnlyList<string> CsvColumns =
    [
        "entry_id", "entry_type", "approved_at_utc", "teacher_name", "teacher_id", "school_name", "school_id", "credential_title",
        "credential_id", "credential_version", "attempt_id", "decision_id", "kind", "amount", "cpd_units", "approved_by",
        "reverses_entry_id", "reason",
    ];

    public async Task<TeacherLedgerView> MineAsync(Actor actor, CancellationToken cancellationToken)
    {
        var rows = await Rows(db.LedgerEntries.AsNoTracking().Where(e => e.TenantId == actor.TenantId && e.TeacherId == actor.PersonId)
            .OrderBy(e => e.ApprovedAt).ThenByDescending(e => e.EntryType)).ToListAsync(cancellationToken);
        var running = new Dictionary<IncentiveKind, decimal>();
        var lines = new List<TeacherLedgerLine>();
        foreach (var row in rows)
        {
            running[row.Kind] = running.GetValueOrDefault(row.Kind) + row.Amount;
            lines.Add(new TeacherLedgerLine(row, running[row.Kind]));
        }

        return new TeacherLedgerView(lines, Totals(rows.Select(r => (r.Kind, r.Amount, r.CpdUnits))));
    }

    public async Task<DistrictLedgerView> SearchAsync(Actor actor, LedgerFilter filter, CancellationToken cancellationToken)
    {
        var entries = Filtered(actor, filter);
        var sums = await entries.Select(e => new { e.Kind, e.Amount, e.CpdUnits }).ToListAsync(cancellationToken);
        var rows = await Rows(entries.OrderByDescending(e => e.ApprovedAt).ThenBy(e => e.EntryType).Take(PageLength)).ToListAsync(cancellationToken);
        var schools = await db.Schools.AsNoTracking().Where(s => s.TenantId == actor.TenantId).OrderBy(s => s.Name).Select(s => new LedgerSchool(s.Id, s.Name)).ToListAsync(cancellationToken);
        if (!actor.IsDistrictAdmin)
        {
            schools = schools.Where(s => actor.PrincipalOf.Contains(s.Id)).ToList();
        }

        var rate = await LedgerPosting.CpdRateAsync(db, actor.TenantId, cancellationToken);
        return new DistrictLedgerView(rows, sums.Count, Totals(sums.Select(s => (s.Kind, s.Amount, s.CpdUnits))), schools, filter, rate);
    }

    /// <summary>One entry, for the correction form: its school's principal or a district admin; another tenant's is not found.</summary>
    public async Task<LedgerRow> EntryAsync(Actor actor, Guid entryId, CancellationToken cancellationToken)
    {
        var row = await Rows(db.LedgerEntries.AsNoTracking().Where(e => e.Id == entryId && e.TenantId == actor.TenantId)).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("This ledger entry does not exist.");
        if (!actor.LeadsSchool(row.SchoolId))
        {
            throw new ForbiddenException("Only a district administrator or the principal of the entry's school can correct it.");
        }

        return row;
    }

    /// <summary>Writes the filtered entries as CSV to <paramref name="output"/>, oldest first, reading them as it writes.</summary>
    public async Task WriteCsvAsync(Actor actor, LedgerFilter filter, Stream output, CancellationToken cancellationToken)
    {
        var query = Rows(Filtered(actor, filter).OrderBy(e => e.ApprovedAt).ThenByDescending(e => e.EntryType));
        // Escape: a text cell that starts with = + - @ (a teacher's name, a reason) gets a leading ' so a spreadsheet shows it as text, not a formula.
        await using var csv = CsvWriter.Create(output, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        csv.WriteHeader(CsvColumns.ToArray());
        await foreach (var r in query.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            csv.WriteField(r.Id, "D");
            csv.WriteField(r.EntryType.ToString());
            csv.WriteField(r.ApprovedAt.UtcDateTime, "yyyy-MM-ddTHH:mm:ssZ");
            csv.WriteField(r.TeacherName);
            csv.WriteField(r.TeacherId, "D");
            csv.WriteField(r.SchoolName);
            csv.WriteField(r.SchoolId, "D");
            csv.WriteField(r.CredentialTitle);
            csv.WriteField(r.CredentialId, "D");
            csv.WriteField(r.CredentialVersion, "D");
            csv.WriteField(r.AttemptId, "D");
            csv.WriteField(r.DecisionId, "D");
            csv.WriteField(KindCode(r.Kind));
            csv.WriteField(r.Amount, "0.####");
            csv.WriteField(r.CpdUnits, "0.####");
            csv.WriteField(r.ApprovedByName);
            csv.WriteField(r.ReversesEntryId, "D");
            csv.WriteField(r.Reason);
            await csv.EndRecordAsync(cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
    }

    /// <summary>The kind as the CSV names it (the catalog's JSON names).</summary>
    public static string KindCode(IncentiveKind kind) => kind switch
    {
        IncentiveKind.InServiceHours => "in_service_hours",
        IncentiveKind.PdPoints => "pd_points",
        IncentiveKind.CpdUnits => "cpd_units",
        IncentiveKind.Stipend => "stipend",
        IncentiveKind.SalaryStep => "salary_step",
        _ => "none",
    };

    private IQueryable<LedgerEntry> Filtered(Actor actor, LedgerFilter filter)
    {
        if (!actor.IsDistrictAdmin && actor.PrincipalOf.Count == 0)
        {
            throw new ForbiddenException("Only principals and district administrators can read the district's ledger. Your own ledger is under \"My hours and points\".");
        }

        if (filter.SchoolId is { } chosen && !actor.LeadsSchool(chosen))
        {
            throw new ForbiddenException("You can only read the ledger of the schools you lead.");
        }

        var entries = db.LedgerEntries.AsNoTracking().Where(e => e.TenantId == actor.TenantId);
        if (filter.SchoolId is { } school)
        {
            entries = entries.Where(e => e.SchoolId == school);
        }
        else if (!actor.IsDistrictAdmin)
        {
            var led = actor.PrincipalOf.ToList();
            entries = entries.Where(e => e.SchoolId != null && led.Contains(e.SchoolId.Value));
        }

        if (filter.From is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            entries = entries.Where(e => e.ApprovedAt >= start);
        }

        if (filter.To is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            entries = entries.Where(e => e.ApprovedAt < end);
        }

        if (!string.IsNullOrWhiteSpace(filter.Teacher))
        {
            var name = filter.Teacher.Trim().ToLowerInvariant();
            // EF translates ToLower().Contains to SQL on every provider; the StringComparison overloads it does not.
#pragma warning disable CA1862
            entries = entries.Where(e => db.People.Any(p => p.Id == e.TeacherId && p.Name.ToLower().Contains(name)));
#pragma warning restore CA1862
        }

        return entries;
    }

    // Order: by approval time; at the same moment a correction's reversal comes before the award that replaces it
    // (the entry type is stored by name, and "Correction" sorts after "Award"), so running totals never jump.
    private IQueryable<LedgerRow> Rows(IQueryable<LedgerEntry> entries) =>
        from e in entries
        select new LedgerRow(
            e.Id,
            e.ApprovedAt,
            e.TeacherId,
            db.People.Where(p => p.Id == e.TeacherId).Select(p => p.Name).First(),
            e.SchoolId,
            db.Schools.Where(s => s.Id == e.SchoolId).Select(s => s.Name).FirstOrDefault(),
            e.CredentialId,
            db.Credentials.Where(c => c.Id == e.CredentialId).Select(c => c.Title).First(),
            db.CredentialVersions.Where(v => v.Id == e.CredentialVersionId).Select(v => v.Number).First(),
            e.AttemptId,
            e.DecisionId,
            e.Kind,
            e.Amount,
            e.CpdUnits,
            e.EntryType,
            e.ReversesEntryId,
            e.Reason,
            db.People.Where(p => p.Id == e.ApprovedBy).Select(p => p.Name).First(),
            db.LedgerEntries.Any(x => x.ReversesEntryId == e.Id));

    private static List<LedgerTotal> Totals(IEnumerable<(IncentiveKind Kind, decimal Amount, decimal? CpdUnits)> entries) =>
        entries.GroupBy(e => e.Kind).OrderBy(g => g.Key)
            .Select(g => new LedgerTotal(g.Key, g.Sum(e => e.Amount), g.Any(e => e.CpdUnits is not null) ? g.Sum(e => e.CpdUnits ?? 0) : null))
            .ToList();
}

/// <summary>The district admin sets the CPD conversion rule for in-service hours; it applies to entries written after.</summary>
public sealed class SetLedgerSettings(AppDbContext db, Audit.AuditLog audit)
{
    public async Task HandleAsync(Actor actor, decimal? cpdUnitsPerHour, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        if (cpdUnitsPerHour is <= 0 or > 100)
        {
            throw InvalidInputException.For("rate", "The CPD units per hour is a number above 0 and at most 100; leave it empty for no conversion.");
        }

        var settings = await db.LedgerSettings.SingleOrDefaultAsync(s => s.TenantId == actor.TenantId, cancellationToken);
        if (settings is null)
        {
            settings = new LedgerSettings { TenantId = actor.TenantId };
            db.LedgerSettings.Add(settings);
        }

        settings.CpdUnitsPerHour = cpdUnitsPerHour;
        audit.Record(actor, "policy.changed", "district", actor.TenantId, cpdUnitsPerHour is { } r ? $"CPD units per in-service hour: {r:0.####}" : "CPD units per in-service hour: no conversion");
        await db.SaveChangesAsync(cancellationToken);
    }
}
