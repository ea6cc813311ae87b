using System.Globalization;
using System.Text;
using LtiMicroCred.Attempts;
using LtiMicroCred.Decisions;
using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Celebrations;

/// <summary>
/// Every hour: for each district whose digest is due (its scheduled time has passed since the setting was saved and
/// this period has no <see cref="DigestRun"/> yet), sends each school leader a summary since the last digest: awards by
/// credential at their schools, attempts waiting for their decision, overdue peer reviews. Principals see their schools,
/// district admins the whole district; a leader with nothing to report gets nothing. The period's run row, the
/// notifications and their email rows are saved together, and the row is unique per district and period: a repeated
/// run, or the same run on a second node, sends nothing more.
/// </summary>
public sealed partial class LeadersDigestJob(AppDbContext db, NotificationWriter writer, TimeProvider time, ILogger<LeadersDigestJob> logger)
{
    public const string RecurringJobId = "leaders-digest";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await db.DigestSettings.AsNoTracking().Where(s => s.Frequency != DigestFrequency.Off).ToListAsync(cancellationToken);
        var sent = 0;
        foreach (var settings in due)
        {
            var (periodStart, length) = CurrentPeriod(settings, now);
            if (periodStart < settings.UpdatedAt
                || await db.DigestRuns.AsNoTracking().AnyAsync(r => r.TenantId == settings.TenantId && r.PeriodStart == periodStart, cancellationToken))
            {
                continue;
            }

            sent += await SendAsync(settings, periodStart, length, cancellationToken) ? 1 : 0;
        }

        return sent;
    }

    /// <summary>The latest scheduled time at or before now, and the period's length.</summary>
    public static (DateTimeOffset Start, TimeSpan Length) CurrentPeriod(DigestSettings settings, DateTimeOffset now)
    {
        now = now.ToUniversalTime();
        var today = new DateTimeOffset(now.Year, now.Month, now.Day, settings.Hour, 0, 0, TimeSpan.Zero);
        if (settings.Frequency == DigestFrequency.Daily)
        {
            return (today > now ? today.AddDays(-1) : today, TimeSpan.FromDays(1));
        }

        var start = today.AddDays(-(((int)now.DayOfWeek - (int)settings.Day + 7) % 7));
        return (start > now ? start.AddDays(-7) : start, TimeSpan.FromDays(7));
    }

    private async Task<bool> SendAsync(DigestSettings settings, DateTimeOffset periodStart, TimeSpan length, CancellationToken cancellationToken)
    {
        var tenant = settings.TenantId;
        var since = await db.DigestRuns.AsNoTracking().Where(r => r.TenantId == tenant).MaxAsync(r => (DateTimeOffset?)r.PeriodStart, cancellationToken)
            ?? periodStart - length;
        var facts = await FactsAsync(tenant, since, periodStart, cancellationToken);
        var drafts = new List<NotificationDraft>();
        var admins = await AwardCelebrations.DistrictAdmins(db, tenant).ToListAsync(cancellationToken);
        foreach (var admin in admins)
        {
            drafts.AddIfAny(Compose(admin, null, "across the district", facts, since, settings.Frequency));
        }

        var principals = await (
            from m in db.SchoolMemberships.AsNoTracking()
            join s in db.Schools.AsNoTracking() on m.SchoolId equals s.Id
            where s.TenantId == tenant && (m.Roles & ProductRoles.Principal) == ProductRoles.Principal
            select new { m.PersonId, s.Id, s.Name }).ToListAsync(cancellationToken);
        foreach (var leader in principals.Where(p => !admins.Contains(p.PersonId)).GroupBy(p => p.PersonId))
        {
            var schools = leader.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
            drafts.AddIfAny(Compose(leader.Key, schools.Select(s => s.Id).ToHashSet(), "at " + string.Join(", ", schools.Select(s => s.Name)), facts, since, settings.Frequency));
        }

        db.DigestRuns.Add(new DigestRun { Id = Guid.NewGuid(), TenantId = tenant, PeriodStart = periodStart, Since = since, SentAt = time.GetUtcNow(), Recipients = drafts.Count });
        await writer.AddAsync(tenant, drafts, cancellationToken);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another run claimed this period first (the unique tenant + period index): it sends this digest.
            db.ChangeTracker.Clear();
            LogAlreadyClaimed(logger, tenant, periodStart);
            return false;
        }

        LogSent(logger, tenant, periodStart, drafts.Count);
        return true;
    }

    private sealed record Facts(
        IReadOnlyList<(Guid? SchoolId, string Credential, int Count)> Awards,
        IReadOnlyList<(Guid? SchoolId, int Count)> Waiting,
        IReadOnlyList<(Guid? SchoolId, int Count)> Overdue);

    /// <summary>Three grouped reads for the whole district; each leader's share is cut from them in memory.</summary>
    private async Task<Facts> FactsAsync(Guid tenant, DateTimeOffset since, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var awards = await (
            from d in db.AttemptDecisions.AsNoTracking()
            join a in db.Attempts.AsNoTracking() on d.AttemptId equals a.Id
            where d.TenantId == tenant && d.Outcome == DecisionOutcome.Awarded && d.DecidedAt >= since && d.DecidedAt < until
            group a by new { a.SchoolId, a.CredentialId } into g
            select new { g.Key.SchoolId, g.Key.CredentialId, Count = g.Count() }).ToListAsync(cancellationToken);
        var credentialIds = awards.Select(a => a.CredentialId).Distinct().ToList();
        var titles = await db.Credentials.AsNoTracking().Where(c => credentialIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Title, cancellationToken);
        var waiting = await db.Attempts.AsNoTracking()
            .Where(a => a.TenantId == tenant && (a.Status == AttemptStatus.Submitted || a.Status == AttemptStatus.InReview) && a.ReadyForDecisionAt != null)
            .GroupBy(a => a.SchoolId).Select(g => new { SchoolId = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        var overdue = await (
            from r in db.ReviewAssignments.AsNoTracking()
            join a in db.Attempts.AsNoTracking() on r.AttemptId equals a.Id
            where r.TenantId == tenant && (r.Status == ReviewStatus.Allocated || r.Status == ReviewStatus.Draft) && r.DueAt < until
            group r by a.SchoolId into g
            select new { SchoolId = g.Key, Count = g.Count() }).ToListAsync(cancellationToken);
        return new Facts(
            awards.Select(a => (a.SchoolId, titles[a.CredentialId], a.Count)).ToList(),
            waiting.Select(w => (w.SchoolId, w.Count)).ToList(),
            overdue.Select(o => (o.SchoolId, o.Count)).ToList());
    }

    private static NotificationDraft? Compose(Guid recipient, HashSet<Guid>? schools, string where, Facts facts, DateTimeOffset since, DigestFrequency frequency)
    {
        bool Mine(Guid? school) => schools is null || (school is { } id && schools.Contains(id));
        var awards = facts.Awards.Where(a => Mine(a.SchoolId)).GroupBy(a => a.Credential)
            .Select(g => (Credential: g.Key, Count: g.Sum(a => a.Count))).OrderByDescending(a => a.Count).ThenBy(a => a.Credential, StringComparer.Ordinal).ToList();
        var awarded = awards.Sum(a => a.Count);
        var waiting = facts.Waiting.Where(w => Mine(w.SchoolId)).Sum(w => w.Count);
        var overdue = facts.Overdue.Where(o => Mine(o.SchoolId)).Sum(o => o.Count);
        if (awarded == 0 && waiting == 0 && overdue == 0)
        {
            return null;
        }

        var c = CultureInfo.InvariantCulture;
        var body = new StringBuilder()
            .Append(c, $"Your {(frequency == DigestFrequency.Daily ? "daily" : "weekly")} summary of microcredentials {where}, since {since:yyyy-MM-dd HH:mm} UTC.")
            .Append("\n\n").Append(c, $"Credentials awarded: {awarded}");
        foreach (var (credential, count) in awards)
        {
            body.Append('\n').Append(c, $"- {credential}: {count}");
        }

        body.Append("\n\n").Append(c, $"Attempts waiting for your decision: {waiting}")
            .Append('\n').Append(c, $"Peer reviews overdue: {overdue}");
        return new NotificationDraft(recipient, NotificationKinds.Digest,
            string.Create(c, $"Microcredentials digest: {awarded} awarded, {waiting} waiting for your decision"), body.ToString(), "/app/approvals");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The leaders' digest of tenant {TenantId} for {PeriodStart} went to {Recipients} leader(s).")]
    private static partial void LogSent(ILogger logger, Guid tenantId, DateTimeOffset periodStart, int recipients);

    [LoggerMessage(Level = LogLevel.Information, Message = "The leaders' digest of tenant {TenantId} for {PeriodStart} was already claimed by another run.")]
    private static partial void LogAlreadyClaimed(ILogger logger, Guid tenantId, DateTimeOffset periodStart);
}

internal static class DraftListExtensions
{
    public static void AddIfAny(this List<NotificationDraft> drafts, NotificationDraft? draft)
    {
        if (draft is not null)
        {
            drafts.Add(draft);
        }
    }
}
