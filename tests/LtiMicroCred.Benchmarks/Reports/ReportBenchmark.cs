using System.Diagnostics;
using System.Globalization;
using System.Text;
using LtiMicroCred.Access;
using LtiMicroCred.Benchmarks.Queues;
using LtiMicroCred.Persistence;
using LtiMicroCred.Reports;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.Benchmarks.Reports;

internal sealed record ReportBenchOptions(string PostgresConnection, string Database, bool Reuse, DistrictSize Size, int Samples, double TargetP95Ms);

/// <summary>What one load is about: who reads, and the school, credential, date range and skill picked for it.</summary>
internal sealed record ReportPick(Actor Actor, Guid School, Guid Credential, DateOnly From, DateOnly To, Guid Skill);

/// <summary>One report in one case, loaded as its page loads it.</summary>
internal sealed record ReportMeasure(string Report, string Case, bool Principal, Func<IServiceProvider, ReportPick, CancellationToken, Task> LoadAsync);

/// <summary>
/// The three reports (progress, expertise map, incentives against budget) on the Tennessee-sized tenant of the queues
/// benchmark (same generator; a district generated before the report data existed gets it added), through the
/// product's own query objects and a pooled DbContext as the pages use them, one load at a time: a district admin
/// without a filter, filtered to one school, to one credential and to a 90-day range, a principal of one school, and
/// the CSV download of the unfiltered report. People, schools, credentials and ranges at random, seeded.
/// </summary>
internal static class ReportBenchmark
{
    private const int Warmup = 5;

    public static async Task<int> RunAsync(ReportBenchOptions options, CancellationToken cancellationToken = default)
    {
        var (provider, district) = await QueueBenchmark.OpenDistrictAsync(options.PostgresConnection, options.Database, options.Reuse, options.Size, "reports", cancellationToken);
        await using var _ = provider;
        if (!await DistrictGenerator.HasReportDataAsync(provider, district.TenantId, cancellationToken))
        {
            Console.Error.WriteLine("reports: adding the report data to the reused district ...");
            await DistrictGenerator.AddReportDataAsync(provider, district.TenantId, options.Size.Seed, DateTimeOffset.UtcNow, cancellationToken);
            using var scope = provider.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            await db.Database.ExecuteSqlRawAsync("ANALYZE", cancellationToken);
        }

        List<Guid> schools, credentials, skills;
        using (var scope = provider.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            schools = await db.Schools.Where(s => s.TenantId == district.TenantId).OrderBy(s => s.Code).Select(s => s.Id).ToListAsync(cancellationToken);
            credentials = await db.Credentials.Where(c => c.TenantId == district.TenantId).OrderBy(c => c.Title).Select(c => c.Id).ToListAsync(cancellationToken);
            skills = await db.Skills.Where(s => db.SkillFrameworks.Any(f => f.Id == s.FrameworkId && f.TenantId == district.TenantId)).OrderBy(s => s.Code).Select(s => s.Id).ToListAsync(cancellationToken);
        }

        var counts = await QueueBenchmark.CountAsync(provider, district.TenantId, cancellationToken);
        // The district-wide expertise map reads the report summary while it is current: rebuild it first, as the
        // recurring job (or the one queued after an award) would, and say how long the rebuild took.
        using (var scope = provider.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            var rebuilding = Stopwatch.GetTimestamp();
            var rebuilt = await scope.ServiceProvider.GetRequiredService<ReportSummaries>().RefreshAsync(district.TenantId, cancellationToken);
            Console.Error.WriteLine(rebuilt
                ? string.Create(CultureInfo.InvariantCulture, $"reports: report summary rebuilt in {Stopwatch.GetElapsedTime(rebuilding).TotalSeconds:F1} s")
                : "reports: report summary already current");
        }

        var random = new Random(options.Size.Seed);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var rows = new List<(ReportMeasure Measure, Latency Latency)>();
        foreach (var measure in ReportMeasures.All)
        {
            var people = measure.Principal ? district.Principals : district.Admins;
            var timings = new List<double>();
            for (var i = 0; i < options.Samples + Warmup; i++)
            {
                var person = people[random.Next(people.Count)];
                var from = today.AddDays(-random.Next(90, 730));
                using var scope = provider.CreateScope();
                var actor = await scope.ServiceProvider.GetRequiredService<ActorDirectory>().LoadAsync(person, district.TenantId, cancellationToken);
                var pick = new ReportPick(actor, schools[random.Next(schools.Count)], credentials[random.Next(credentials.Count)], from, from.AddDays(90), skills[random.Next(skills.Count)]);
                var started = Stopwatch.GetTimestamp();
                await measure.LoadAsync(scope.ServiceProvider, pick, cancellationToken);
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (i >= Warmup)
                {
                    timings.Add(ms);
                }
            }

            rows.Add((measure, Latency.Of(timings)));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"reports: {measure.Report}, {measure.Case}: p95 {rows[^1].Latency.P95:F1} ms"));
        }

        Console.Out.Write(Report(options, district, counts, rows));
        return rows.All(r => r.Latency.P95 < options.TargetP95Ms) ? 0 : 1;
    }

    private static string Report(ReportBenchOptions options, GeneratedDistrict district, (int People, int Schools, int Attempts, int Reviews) counts, List<(ReportMeasure Measure, Latency Latency)> rows)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("### Reports on a Tennessee-sized district (PostgreSQL)");
        text.AppendLine();
        var made = district.Took > TimeSpan.Zero ? string.Create(c, $" (generated in {district.Took.TotalSeconds:F0} s)") : " (reused)";
        text.AppendLine(c, $"{counts.People:N0} people in {counts.Schools:N0} schools, {counts.Attempts:N0} attempts, {counts.Reviews:N0} peer reviews{made}. {options.Samples} loads each, one at a time, after {Warmup} unmeasured; people, schools, credentials and ranges at random.");
        text.AppendLine();
        text.AppendLine("| report | case | loads | p50 ms | p95 ms | max ms | p95 < " + options.TargetP95Ms.ToString(c) + " ms |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---|");
        foreach (var (m, l) in rows)
        {
            text.AppendLine(c, $"| {m.Report} | {m.Case} | {l.Count} | {l.P50:F1} | {l.P95:F1} | {l.Max:F1} | {(l.P95 < options.TargetP95Ms ? "met" : "missed")} |");
        }

        return text.ToString();
    }
}

internal static class ReportMeasures
{
    private const string Progress = "Progress (/app/reports/progress)";
    private const string Expertise = "Expertise map (/app/reports/expertise)";
    private const string Incentives = "Incentives (/app/reports/incentives)";

    /// <summary>The filters each report is timed with: (case, principal?, filter).</summary>
    private static readonly (string Case, bool Principal, Func<ReportPick, ReportFilter> Filter)[] Cases =
    [
        ("district admin, no filter", false, _ => new ReportFilter()),
        ("district admin, one school", false, p => new ReportFilter(SchoolId: p.School)),
        ("district admin, one credential", false, p => new ReportFilter(CredentialId: p.Credential)),
        ("district admin, 90 days", false, p => new ReportFilter(From: p.From, To: p.To)),
        ("principal, own school", true, _ => new ReportFilter()),
    ];

    private static T Get<T>(IServiceProvider s)
        where T : notnull => s.GetRequiredService<T>();

    public static IReadOnlyList<ReportMeasure> All { get; } =
    [
        .. Cases.Select(c => new ReportMeasure(Progress, c.Case, c.Principal, (s, p, ct) => Get<ReportQueries>(s).ProgressAsync(p.Actor, c.Filter(p), ct))),
        new(Progress, "CSV, district admin, no filter", false, (s, p, ct) => Get<ReportQueries>(s).WriteProgressCsvAsync(p.Actor, new ReportFilter(), Stream.Null, ct)),
        .. Cases.Select(c => new ReportMeasure(Expertise, c.Case, c.Principal, (s, p, ct) => Get<ExpertiseQueries>(s).MapAsync(p.Actor, c.Filter(p), null, ct))),
        new(Expertise, "district admin, one skill's holders", false, (s, p, ct) => Get<ExpertiseQueries>(s).MapAsync(p.Actor, new ReportFilter(), p.Skill, ct)),
        new(Expertise, "CSV, district admin, no filter", false, (s, p, ct) => Get<ExpertiseQueries>(s).WriteCsvAsync(p.Actor, new ReportFilter(), Stream.Null, ct)),
        .. Cases.Where(c => !c.Case.EndsWith("90 days", StringComparison.Ordinal))
            .Select(c => new ReportMeasure(Incentives, c.Case, c.Principal, (s, p, ct) => Get<IncentiveQueries>(s).AgainstBudgetAsync(p.Actor, c.Filter(p), null, ct))),
        new(Incentives, "CSV, district admin, no filter", false, (s, p, ct) => Get<IncentiveQueries>(s).WriteCsvAsync(p.Actor, new ReportFilter(), null, Stream.Null, ct)),
    ];
}
