using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.Ledger;
using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.Benchmarks.Queues;

/// <summary>
/// What the reports read beyond the queues: skill frameworks and the credentials' alignments to them, three budget
/// years of incentive budgets (the district's, and their own for about three schools in five), a budget reservation
/// for every attempt past its plan (released when withdrawn or resubmitted), a decision for every decided attempt a
/// few days to weeks after submission (so over the ~2.5 years the attempts span), and a ledger award for each award.
/// Deterministic for a seed, like the rest of the district.
/// </summary>
internal static partial class DistrictGenerator
{
    private static readonly string[] FrameworkNames = ["Instructional practice", "Learning environment", "Professional growth"];

    /// <summary>Whether the district has its decisions (a district generated before the reports benchmark has none).</summary>
    public static async Task<bool> HasReportDataAsync(IServiceProvider services, Guid tenantId, CancellationToken cancellationToken)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.AttemptDecisions.AnyAsync(d => d.TenantId == tenantId, cancellationToken);
    }

    public static async Task AddReportDataAsync(IServiceProvider services, Guid tenantId, int seed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var random = new Random(seed + 8);
        List<Guid> schools;
        Dictionary<Guid, Guid> principalOf;
        Guid admin;
        Dictionary<Guid, Incentive> incentives;
        var budgeted = new HashSet<(Guid School, int Year, IncentiveKind Kind)>();
        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            schools = await db.Schools.Where(s => s.TenantId == tenantId).OrderBy(s => s.Code).Select(s => s.Id).ToListAsync(cancellationToken);
            principalOf = (await db.SchoolMemberships.Where(m => schools.Contains(m.SchoolId) && (m.Roles & ProductRoles.Principal) != 0)
                    .Select(m => new { m.SchoolId, m.PersonId }).ToListAsync(cancellationToken))
                .GroupBy(m => m.SchoolId).ToDictionary(g => g.Key, g => g.First().PersonId);
            admin = await db.People.Where(p => p.TenantId == tenantId && p.AssignedRoles == ProductRoles.DistrictAdmin).OrderBy(p => p.Subject).Select(p => p.Id).FirstAsync(cancellationToken);
            var offerings = await db.Offerings.Where(o => o.TenantId == tenantId).OrderBy(o => o.Id).ToListAsync(cancellationToken);
            // Offerings of the sample catalog without an incentive get one here, so the budget report has something to add up.
            incentives = offerings.Select((o, i) => (o.Id, Incentive: o.Incentive.Kind != IncentiveKind.None ? o.Incentive
                    : i % 2 == 0 ? new Incentive(IncentiveKind.InServiceHours, 10) : new Incentive(IncentiveKind.Stipend, 150)))
                .ToDictionary(o => o.Id, o => o.Incentive);

            // Skill frameworks, and each credential version aligned to four skills.
            var skills = new List<Guid>();
            for (var f = 0; f < FrameworkNames.Length; f++)
            {
                var framework = new SkillFramework { Id = Guid.NewGuid(), TenantId = tenantId, Key = $"bench-{f + 1}", Name = FrameworkNames[f] };
                for (var k = 0; k < 12; k++)
                {
                    var skill = new Skill { Id = Guid.NewGuid(), FrameworkId = framework.Id, Code = $"{(char)('A' + f)}{k + 1:D2}", Name = $"{FrameworkNames[f]} skill {k + 1}" };
                    framework.Skills.Add(skill);
                    skills.Add(skill.Id);
                }

                db.SkillFrameworks.Add(framework);
            }

            var versions = await db.CredentialVersions.Where(v => db.Credentials.Any(c => c.Id == v.CredentialId && c.TenantId == tenantId))
                .OrderBy(v => v.CredentialId).ThenBy(v => v.Number).Select(v => v.Id).ToListAsync(cancellationToken);
            foreach (var version in versions)
            {
                foreach (var skill in skills.OrderBy(_ => random.Next()).Take(4))
                {
                    db.SkillAlignments.Add(new SkillAlignment { CredentialVersionId = version, SkillId = skill });
                }
            }

            // Budgets for this budget year and the two before it: the district's, and some schools' own (next to
            // those the sample catalog made).
            var existing = (await db.IncentiveBudgets.Where(b => b.TenantId == tenantId).Select(b => new { b.SchoolId, b.Year, b.Kind }).ToListAsync(cancellationToken))
                .Select(b => (b.SchoolId, b.Year, b.Kind)).ToHashSet();
            budgeted.UnionWith(existing.Where(b => b.SchoolId is not null).Select(b => (b.SchoolId!.Value, b.Year, b.Kind)));
            var thisYear = BudgetYear.Of(now);
            foreach (var kind in incentives.Values.Select(i => i.Kind).Distinct().Order())
            {
                for (var year = thisYear - 2; year <= thisYear; year++)
                {
                    if (!existing.Contains((null, year, kind)))
                    {
                        db.IncentiveBudgets.Add(new IncentiveBudget { Id = Guid.NewGuid(), TenantId = tenantId, Year = year, Kind = kind, Amount = 2_000_000, Revision = Guid.NewGuid() });
                    }

                    foreach (var school in schools.Where(school => random.Next(5) < 3 && !existing.Contains((school, year, kind))))
                    {
                        budgeted.Add((school, year, kind));
                        db.IncentiveBudgets.Add(new IncentiveBudget { Id = Guid.NewGuid(), TenantId = tenantId, SchoolId = school, Year = year, Kind = kind, Amount = 5_000 + (random.Next(20) * 500), Revision = Guid.NewGuid() });
                    }
                }
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        Progress($"skills, alignments and {budgeted.Count} school budgets");

        List<(Guid Id, AttemptStatus Status, Guid? SchoolId, Guid CredentialId, Guid VersionId, Guid OfferingId, Guid TeacherId, DateTimeOffset CreatedAt, DateTimeOffset? SubmittedAt)> attempts;
        using (var scope = services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            attempts = [.. (await db.Attempts.AsNoTracking().Where(a => a.TenantId == tenantId).OrderBy(a => a.CreatedAt).ThenBy(a => a.Id)
                    .Select(a => new { a.Id, a.Status, a.SchoolId, a.CredentialId, a.CredentialVersionId, a.OfferingId, a.TeacherId, a.CreatedAt, a.SubmittedAt })
                    .ToListAsync(cancellationToken))
                .Select(a => (a.Id, a.Status, a.SchoolId, a.CredentialId, a.CredentialVersionId, a.OfferingId, a.TeacherId, a.CreatedAt, a.SubmittedAt))];
        }

        DateTimeOffset NotAfterNow(DateTimeOffset at) => at < now ? at : now.AddHours(-random.Next(1, 48));
        await InBatchesAsync(services, attempts.Count, (db, i) =>
        {
            var a = attempts[i];
            var incentive = incentives[a.OfferingId];
            DateTimeOffset? decidedAt = null;
            if (a.SubmittedAt is { } submitted && a.Status is AttemptStatus.Awarded or AttemptStatus.NotYet or AttemptStatus.Resubmitted)
            {
                decidedAt = NotAfterNow(submitted.AddDays(random.Next(2, 40)).AddMinutes(random.Next(0, 600)));
                var decider = a.SchoolId is { } s && principalOf.TryGetValue(s, out var p) ? p : admin;
                var awarded = a.Status == AttemptStatus.Awarded;
                var decision = new AttemptDecision
                {
                    Id = Guid.NewGuid(), TenantId = tenantId, AttemptId = a.Id, CredentialVersionId = a.VersionId,
                    Outcome = awarded ? DecisionOutcome.Awarded : DecisionOutcome.NotYet, DecidedBy = decider, DecidedAt = decidedAt.Value,
                    Incentive = awarded ? incentive : null, PostedAt = decidedAt.Value.AddMinutes(1),
                };
                db.AttemptDecisions.Add(decision);
                if (awarded)
                {
                    db.LedgerEntries.Add(new LedgerEntry
                    {
                        Id = Guid.NewGuid(), TenantId = tenantId, TeacherId = a.TeacherId, SchoolId = a.SchoolId, CredentialId = a.CredentialId,
                        CredentialVersionId = a.VersionId, AttemptId = a.Id, DecisionId = decision.Id, Kind = incentive.Kind, Amount = incentive.PerAward,
                        ApprovedBy = decider, ApprovedAt = decidedAt.Value, EntryType = LedgerEntryType.Award,
                    });
                }
            }

            if (a.Status is AttemptStatus.Planning or AttemptStatus.PlanSubmitted)
            {
                return;
            }

            var reservedAt = NotAfterNow(a.CreatedAt.AddDays(random.Next(1, 6)));
            var year = BudgetYear.Of(reservedAt);
            db.BudgetReservations.Add(new BudgetReservation
            {
                Id = Guid.NewGuid(), TenantId = tenantId, AttemptId = a.Id, Year = year, Kind = incentive.Kind, Amount = incentive.PerAward,
                SchoolId = a.SchoolId is { } school && budgeted.Contains((school, year, incentive.Kind)) ? school : null,
                ReservedAt = reservedAt,
                ReleasedAt = a.Status switch
                {
                    AttemptStatus.Withdrawn => NotAfterNow(reservedAt.AddDays(random.Next(5, 90))),
                    AttemptStatus.Resubmitted => decidedAt ?? reservedAt,
                    _ => null,
                },
            });
        }, cancellationToken);
    }
}
