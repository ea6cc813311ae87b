using System.Globalization;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Celebrations;

/// <summary>
/// On an award, in the decision's unit of work: a congratulation to the teacher, and a notice to the principals of the
/// attempt's school and the district admins (each once, the teacher never twice). Emails follow through the outbox.
/// Names and titles only: never evidence or feedback.
/// </summary>
public sealed class AwardCelebrations(AppDbContext db, NotificationWriter writer)
{
    public async Task AddAsync(Attempt attempt, AttemptDecision decision, CancellationToken cancellationToken)
    {
        if (decision.Outcome != DecisionOutcome.Awarded)
        {
            return;
        }

        var title = await db.Credentials.AsNoTracking().Where(c => c.Id == attempt.CredentialId).Select(c => c.Title).SingleAsync(cancellationToken);
        var teacher = await db.People.AsNoTracking().Where(p => p.Id == attempt.TeacherId).Select(p => p.Name).SingleAsync(cancellationToken);
        var school = attempt.SchoolId is { } sid ? await db.Schools.AsNoTracking().Where(s => s.Id == sid).Select(s => s.Name).SingleOrDefaultAsync(cancellationToken) : null;
        var leaders = await LeadersAsync(attempt.TenantId, attempt.SchoolId, cancellationToken);
        var earned = Describe(decision.Incentive);
        var link = $"/app/attempts/{attempt.Id}";

        var drafts = new List<NotificationDraft>
        {
            new(attempt.TeacherId, NotificationKinds.Congratulation, $"Congratulations: you earned {title}",
                $"Congratulations, {teacher}! You have earned the microcredential \"{title}\"."
                + (earned is null ? string.Empty : $" It brings you {earned}.")
                + "\n\nYour evidence showed the competency this credential certifies. Thank you for the work you put into your practice and your students."
                + "\n\nYou can see the decision and its feedback on your attempt, and your hours and points under \"My hours and points\".",
                link),
        };
        drafts.AddRange(leaders.Where(id => id != attempt.TeacherId).Select(id => new NotificationDraft(id, NotificationKinds.AwardNotice,
            $"{teacher} earned {title}",
            $"{teacher}{(school is null ? string.Empty : $" ({school})")} has earned the microcredential \"{title}\"."
            + (earned is null ? string.Empty : $" The award brings {earned}.")
            + "\n\nA word of congratulation from you goes a long way.",
            link)));
        await writer.AddAsync(attempt.TenantId, drafts, cancellationToken);
    }

    /// <summary>The principals of the school (by membership) and the district admins (given, or from their launches).</summary>
    private async Task<List<Guid>> LeadersAsync(Guid tenantId, Guid? schoolId, CancellationToken cancellationToken)
    {
        var principals = schoolId is { } id
            ? await db.SchoolMemberships.AsNoTracking().Where(m => m.SchoolId == id && (m.Roles & ProductRoles.Principal) == ProductRoles.Principal)
                .Select(m => m.PersonId).ToListAsync(cancellationToken)
            : [];
        var admins = await DistrictAdmins(db, tenantId).ToListAsync(cancellationToken);
        return principals.Concat(admins).Distinct().ToList();
    }

    public static IQueryable<Guid> DistrictAdmins(AppDbContext db, Guid tenantId) =>
        db.People.AsNoTracking()
            .Where(p => p.TenantId == tenantId && ((p.AssignedRoles & ProductRoles.DistrictAdmin) == ProductRoles.DistrictAdmin
                || db.Enrollments.Any(e => e.PersonId == p.Id && (e.Roles & ProductRoles.DistrictAdmin) == ProductRoles.DistrictAdmin)))
            .Select(p => p.Id);

    /// <summary>"4 in-service hours", "6 PD points", or null when the credential carries no incentive.</summary>
    public static string? Describe(Incentive? incentive)
    {
        if (incentive is null || incentive.Kind == IncentiveKind.None || incentive.Amount == 0)
        {
            return null;
        }

        var amount = incentive.Amount.ToString("0.##", CultureInfo.InvariantCulture);
        var one = incentive.Amount == 1;
        return incentive.Kind switch
        {
            IncentiveKind.InServiceHours => $"{amount} in-service {(one ? "hour" : "hours")}",
            IncentiveKind.PdPoints => $"{amount} PD {(one ? "point" : "points")}",
            IncentiveKind.CpdUnits => $"{amount} CPD {(one ? "unit" : "units")}",
            IncentiveKind.Stipend => $"a stipend of ${amount}",
            IncentiveKind.SalaryStep => $"{amount} salary {(one ? "step" : "steps")}",
            _ => null,
        };
    }
}
