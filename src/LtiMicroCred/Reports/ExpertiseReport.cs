using CsvHelper;
using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Reports;

/// <summary>One skill: how many teachers hold a credential aligned to it, in how many of the schools in view.</summary>
public sealed record SkillLine(Guid SkillId, string Framework, string Code, string Name, int Holders, int SchoolsWithHolder, int SchoolsInView);

/// <summary>A school's skills that no one there holds.</summary>
public sealed record SchoolGaps(Guid SchoolId, string School, IReadOnlyList<SkillLine> Missing);

/// <summary>A teacher who holds the chosen skill, at the school the awarded attempt counted for.</summary>
public sealed record SkillHolder(Guid TeacherId, string Name, Guid? SchoolId, string School);

public sealed record ExpertiseReport(
    ReportFilter Filter,
    IReadOnlyList<ReportOption> Schools,
    IReadOnlyList<ReportOption> Credentials,
    IReadOnlyList<SkillLine> Skills,
    IReadOnlyList<SchoolGaps> Gaps,
    SkillLine? Chosen,
    IReadOnlyList<SkillHolder> Holders,
    DateTimeOffset? FiguresAsOf = null);

/// <summary>
/// The expertise map: for each skill of the district's frameworks, who has earned a credential aligned to it (an
/// awarded attempt whose version aligns), by the school the attempt counted for; and the gaps, skills no one in a
/// school holds. Same readers and filter as <see cref="ReportQueries.ProgressAsync"/>. A district admin's district-wide
/// map (no school, credential or date filter) reads the summary (<see cref="ReportSummaries"/>) while it holds every
/// award so far, and says when it was rebuilt (<see cref="ExpertiseReport.FiguresAsOf"/>); otherwise the live rows.
/// </summary>
public sealed class ExpertiseQueries(AppDbContext db, ReportQueries reports, ReportSummaries summaries)
{
    /// <summary>Gaps are listed school by school only up to this many schools in view (a principal's, or one chosen school).</summary>
    public const int MaxGapSchools = 20;

    public const int MaxHolders = 200;

    /// <summary>The CSV columns, in order: one row per skill.</summary>
    public static readonly IReadOnlyList<string> CsvColumns = ["skill_id", "framework", "code", "skill", "teachers", "schools_with_holder", "schools_in_view"];

    public async Task WriteCsvAsync(Actor actor, ReportFilter filter, Stream output, CancellationToken cancellationToken)
    {
        var report = await MapAsync(actor, filter, null, cancellationToken);
        await using var csv = CsvWriter.Create(output, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        csv.WriteHeader(CsvColumns.ToArray());
        foreach (var s in report.Skills)
        {
            csv.WriteField(s.SkillId, "D");
            csv.WriteField(s.Framework);
            csv.WriteField(s.Code);
            csv.WriteField(s.Name);
            csv.WriteField(s.Holders, "D");
            csv.WriteField(s.SchoolsWithHolder, "D");
            csv.WriteField(s.SchoolsInView, "D");
            await csv.EndRecordAsync(cancellationToken);
        }

        await csv.FlushAsync(cancellationToken);
    }

    public async Task<ExpertiseReport> MapAsync(Actor actor, ReportFilter filter, Guid? skillId, CancellationToken cancellationToken)
    {
        var (schools, credentials) = await reports.OptionsAsync(actor, filter, cancellationToken);
        var held = from a in reports.Attempts(actor, filter)
                   where a.Status == AttemptStatus.Awarded
                   join al in db.SkillAlignments on a.CredentialVersionId equals al.CredentialVersionId
                   select new { al.SkillId, a.SchoolId, a.TeacherId };
        var asOf = actor.IsDistrictAdmin && filter is { SchoolId: null, CredentialId: null, From: null, To: null }
            ? await summaries.CurrentAsync(actor.TenantId, cancellationToken)
            : null;
        var skills = await (from s in db.Skills.AsNoTracking()
                            join f in db.SkillFrameworks on s.FrameworkId equals f.Id
                            where f.TenantId == actor.TenantId
                            orderby f.Name, s.Code
                            select new { s.Id, Framework = f.Name, s.Code, s.Name }).ToListAsync(cancellationToken);
        var inView = filter.SchoolId is { } one ? schools.Where(s => s.Id == one).ToList() : schools;
        var viewed = inView.Select(v => v.Id).ToHashSet();
        var counts = db.SkillHoldingCounts.AsNoTracking().Where(c => c.TenantId == actor.TenantId);
        Dictionary<Guid, int> holders, schoolsWithHolder;
        HashSet<(Guid SkillId, Guid School)> heldAt = [];
        if (asOf is not null)
        {
            // District-wide: one summary row per skill; the school rows only when the gaps are listed school by school.
            var district = await counts.Where(c => c.Scope == SkillHoldingCount.DistrictScope)
                .Select(c => new { c.SkillId, c.Teachers, c.Schools }).ToListAsync(cancellationToken);
            holders = district.ToDictionary(c => c.SkillId, c => c.Teachers);
            schoolsWithHolder = district.ToDictionary(c => c.SkillId, c => c.Schools);
            if (inView.Count <= MaxGapSchools)
            {
                var atSchools = await counts.Where(c => c.Scope == SkillHoldingCount.SchoolScope && c.SchoolId != null)
                    .Select(c => new { c.SkillId, SchoolId = c.SchoolId!.Value }).ToListAsync(cancellationToken);
                heldAt = atSchools.Where(p => viewed.Contains(p.SchoolId)).Select(p => (p.SkillId, p.SchoolId)).ToHashSet();
            }
        }
        else
        {
            var perSchool = await held.Distinct()
                .GroupBy(h => new { h.SkillId, h.SchoolId })
                .Select(g => new { g.Key.SkillId, g.Key.SchoolId, Teachers = g.Count() })
                .ToListAsync(cancellationToken);
            holders = await held.Select(h => new { h.SkillId, h.TeacherId }).Distinct()
                .GroupBy(h => h.SkillId).Select(g => new { SkillId = g.Key, Teachers = g.Count() })
                .ToDictionaryAsync(g => g.SkillId, g => g.Teachers, cancellationToken);
            heldAt = perSchool.Where(p => p.SchoolId is { } id && viewed.Contains(id)).Select(p => (p.SkillId, p.SchoolId!.Value)).ToHashSet();
            schoolsWithHolder = heldAt.GroupBy(p => p.SkillId).ToDictionary(g => g.Key, g => g.Count());
        }

        var lines = skills.Select(s => new SkillLine(s.Id, s.Framework, s.Code, s.Name, holders.GetValueOrDefault(s.Id),
            schoolsWithHolder.GetValueOrDefault(s.Id), inView.Count)).ToList();

        var gaps = inView.Count > MaxGapSchools ? [] : inView
            .Select(school => new SchoolGaps(school.Id, school.Name, lines.Where(l => !heldAt.Contains((l.SkillId, school.Id))).ToList()))
            .ToList();

        SkillLine? chosen = null;
        List<SkillHolder> people = [];
        if (skillId is { } wanted)
        {
            chosen = lines.SingleOrDefault(l => l.SkillId == wanted) ?? throw new NotFoundException("This skill does not exist.");
            var names = schools.ToDictionary(s => s.Id, s => s.Name);
            var ofSkill = asOf is not null
                ? db.SkillHoldings.AsNoTracking().Where(h => h.TenantId == actor.TenantId && h.SkillId == wanted).Select(h => new { h.TeacherId, h.SchoolId })
                : held.Where(h => h.SkillId == wanted).Select(h => new { h.TeacherId, h.SchoolId }).Distinct();
            var found = await (from h in ofSkill
                               join p in db.People on h.TeacherId equals p.Id
                               orderby p.Name
                               select new { h.TeacherId, p.Name, h.SchoolId }).Take(MaxHolders).ToListAsync(cancellationToken);
            people = found.Select(f => new SkillHolder(f.TeacherId, f.Name, f.SchoolId, f.SchoolId is { } id ? names.GetValueOrDefault(id, "Another school") : "No school")).ToList();
        }

        return new ExpertiseReport(filter, schools, credentials, lines, gaps, chosen, people, asOf);
    }
}
