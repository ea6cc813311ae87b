using System.Globalization;
using LtiMicroCred.Catalog;
using LtiMicroCred.Ledger;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Lti.Services.Ags;
using LtiMicroCred.Outbox;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.ResultPosting.Hours;

/// <summary>The outbox payload of an hours posting: whose total, and the ledger entry that changed it. Ids only.</summary>
public sealed record HoursPassbackPayload(Guid TeacherId, Guid EntryId);

/// <summary>
/// Adds an "hours.passback" outbox message for each new in-service hours ledger entry (award, reversal, corrected
/// award) to the caller's unit of work, when the district has chosen its PD course, and an "hours.column" message when
/// the district also shows the total in a Canvas custom gradebook column. Nothing is saved here.
/// </summary>
public sealed class HoursPassback(AppDbContext db, LtiMicroCred.Outbox.Outbox outbox)
{
    public const string Kind = "hours.passback";

    public async Task EnqueueAsync(Guid tenantId, IEnumerable<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        var hours = entries.Where(e => e.Kind == IncentiveKind.InServiceHours).ToList();
        var settings = hours.Count == 0 ? null
            : await db.HoursSettings.AsNoTracking().Where(s => s.TenantId == tenantId).Select(s => new { s.ColumnEnabled }).SingleOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            return;
        }

        foreach (var entry in hours)
        {
            outbox.Enqueue(tenantId, Kind, new HoursPassbackPayload(entry.TeacherId, entry.Id));
            if (settings.ColumnEnabled)
            {
                outbox.Enqueue(tenantId, HoursColumnHandler.ColumnKind, new HoursPassbackPayload(entry.TeacherId, entry.Id));
            }
        }
    }
}


/// <summary>
/// Sends a teacher's running total of in-service hours to the PD course's "In-service hours" line item. The total is
/// read from the ledger when the message is sent, and the score's timestamp is the teacher's latest hours entry, so a
/// resend posts the same score, a message sent late posts the newest total (never an older one), and the platform,
/// which keeps the score with the latest timestamp, ignores a post that lost a race with a newer one.
/// </summary>
public sealed partial class HoursPassbackHandler(AppDbContext db, IPlatformRegistry platforms, AgsClient ags, ILogger<HoursPassbackHandler> logger) : IOutboxHandler
{

    public string Kind => HoursPassback.Kind;

    public async Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var payload = message.PayloadAs<HoursPassbackPayload>();
        var settings = await db.HoursSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == message.TenantId, cancellationToken)
            ?? throw new InvalidOperationException("No PD course is chosen for in-service hours: choose it on the in-service hours page, then send this message again.");
        var teacher = await db.People.AsNoTracking().Where(p => p.Id == payload.TeacherId && p.TenantId == message.TenantId)
            .Select(p => new { p.Subject, p.PlatformId }).SingleOrDefaultAsync(cancellationToken);
        if (teacher is null)
        {
            LogSkipped(logger, message.Id, "the teacher is no longer known");
            return;
        }

        if (teacher.PlatformId != settings.PlatformId)
        {
            LogSkipped(logger, message.Id, "the teacher is not on the PD course's LMS");
            return;
        }

        var total = await TotalAsync(db, message.TenantId, payload.TeacherId, cancellationToken);
        if (total is null)
        {
            LogSkipped(logger, message.Id, "the teacher has no in-service hours entry");
            return;
        }

        var platform = await platforms.GetAsync(settings.PlatformId, cancellationToken)
            ?? throw new InvalidOperationException("The PD course's LMS is not registered (or is disabled), so the hours cannot be sent.");
        var score = BuildScore(teacher.Subject, total.Value.Hours, total.Value.LatestAt, settings.ScoreMaximum);
        await ags.PostScoreAsync(platform, settings.LineItemUrl, score, cancellationToken);
        LogPosted(logger, message.Id);
    }

    /// <summary>The teacher's in-service hours (awards less reversals) and the time of their latest hours entry.</summary>
    public static async Task<(decimal Hours, DateTimeOffset LatestAt)?> TotalAsync(AppDbContext db, Guid tenantId, Guid teacherId, CancellationToken cancellationToken)
    {
        // Summed here: SQLite cannot aggregate decimals or DateTimeOffsets, and a teacher has a handful of entries.
        var entries = await db.LedgerEntries.AsNoTracking()
            .Where(e => e.TenantId == tenantId && e.TeacherId == teacherId && e.Kind == IncentiveKind.InServiceHours)
            .Select(e => new { e.Amount, e.ApprovedAt })
            .ToListAsync(cancellationToken);
        return entries.Count == 0 ? null : (entries.Sum(e => e.Amount), entries.Max(e => e.ApprovedAt));
    }

    public static Score BuildScore(string userId, decimal hours, DateTimeOffset latestAt, double scoreMaximum) => new()
    {
        UserId = userId,
        ScoreGiven = (double)hours,
        ScoreMaximum = scoreMaximum,
        Comment = string.Create(CultureInfo.InvariantCulture, $"In-service hours from microcredentials: {hours:0.##} in total."),
        Timestamp = latestAt,
        ActivityProgress = "Completed",
        GradingProgress = "FullyGraded",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Hours message {MessageId} not sent: {Reason}.")]
    private static partial void LogSkipped(ILogger logger, Guid messageId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hours message {MessageId} posted the teacher's total.")]
    private static partial void LogPosted(ILogger logger, Guid messageId);
}
