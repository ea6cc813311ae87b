using System.Globalization;
using LtiMicroCred.Access;
using LtiMicroCred.Audit;
using LtiMicroCred.Canvas;
using LtiMicroCred.Canvas.Models;
using LtiMicroCred.CanvasAccess;
using LtiMicroCred.Catalog;
using LtiMicroCred.Outbox;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.ResultPosting.Hours;

/// <summary>Whether the Canvas column option can be offered, and if not, why (a sentence for the page).</summary>
public sealed record HoursColumnView(bool Enabled, bool Offered, string? NotOfferedReason);

/// <summary>
/// A district admin turns on (or off) the copy of each teacher's total to an "In-service hours" Canvas custom gradebook
/// column in the PD course. Only for a PD course launched from Canvas (its Canvas course id is known) and an admin whose
/// Canvas REST access is connected: the column is found (by title) or made once, read-only and not the notes column,
/// and the admin's connection is the one the background sends use. Turning it on also queues every teacher's current
/// total, in the same save. Audited.
/// </summary>
public sealed class SetHoursColumn(AppDbContext db, AuditLog audit, CanvasUserClients canvas, LtiMicroCred.Outbox.Outbox outbox, TimeProvider time)
{
    public const string Title = "In-service hours";

    public async Task HandleAsync(Actor actor, bool enabled, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var settings = await db.HoursSettings.SingleOrDefaultAsync(s => s.TenantId == actor.TenantId, cancellationToken)
            ?? throw new RuleViolationException("Choose the district's PD course for in-service hours first.");
        if (!enabled)
        {
            if (settings.ColumnEnabled)
            {
                settings.ColumnEnabled = false;
                (settings.UpdatedBy, settings.UpdatedAt) = (actor.PersonId, time.GetUtcNow());
                audit.Record(actor, "policy.changed", "district", actor.TenantId, "In-service hours Canvas column: off");
                await db.SaveChangesAsync(cancellationToken);
            }

            return;
        }

        var course = await db.Courses.AsNoTracking().SingleAsync(c => c.Id == settings.CourseId, cancellationToken);
        if (await HoursColumnRules.WhyNotAsync(canvas, course.CanvasCourseId, actor.PersonId, cancellationToken) is { } reason)
        {
            throw new RuleViolationException(reason);
        }

        var courseId = course.CanvasCourseId!.Value;
        long columnId;
        try
        {
            var client = await canvas.ForPersonAsync(actor.PersonId, cancellationToken);
            columnId = await FindOrCreateAsync(client, courseId, cancellationToken);
        }
        catch (CanvasAuthorizationRequiredException)
        {
            throw new RuleViolationException("Canvas no longer accepts your connection: connect the tool to Canvas again, then turn the column on.");
        }
        catch (CanvasException)
        {
            throw new RuleViolationException("Canvas did not make or list the gradebook columns of the PD course just now. Try again in a few minutes.");
        }

        var wasOn = settings.ColumnEnabled;
        (settings.ColumnEnabled, settings.CanvasCourseId, settings.CanvasColumnId, settings.ColumnConnectedBy) = (true, courseId, columnId, actor.PersonId);
        (settings.UpdatedBy, settings.UpdatedAt) = (actor.PersonId, time.GetUtcNow());
        audit.Record(actor, "policy.changed", "district", actor.TenantId, $"In-service hours Canvas column: on ({course.Title}, column {columnId})");
        if (!wasOn)
        {
            // The column starts with every teacher's current total, not only the totals that change from now on.
            var latest = await db.LedgerEntries.AsNoTracking()
                .Where(e => e.TenantId == actor.TenantId && e.Kind == IncentiveKind.InServiceHours)
                .Select(e => new { e.TeacherId, e.Id, e.ApprovedAt }).ToListAsync(cancellationToken);
            foreach (var entry in latest.GroupBy(e => e.TeacherId).Select(g => g.MaxBy(e => e.ApprovedAt)!))
            {
                outbox.Enqueue(actor.TenantId, HoursColumnHandler.ColumnKind, new HoursPassbackPayload(entry.TeacherId, entry.Id));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The course's "In-service hours" column (hidden ones too), or a new one: turning it on twice makes one column.</summary>
    private static async Task<long> FindOrCreateAsync(CanvasUserClient client, long courseId, CancellationToken cancellationToken)
    {
        await foreach (var column in client.ListCustomColumnsAsync(courseId, includeHidden: true, cancellationToken))
        {
            if (column.Title == Title && column.TeacherNotes != true)
            {
                return column.Id;
            }
        }

        var created = await client.CreateCustomColumnAsync(courseId, new CustomColumnDefinition { Title = Title, Hidden = false, TeacherNotes = false, ReadOnly = true }, cancellationToken);
        return created.Id;
    }
}

internal static class HoursColumnRules
{
    /// <summary>Why the column cannot be turned on by this person for this course; null when it can.</summary>
    public static async Task<string?> WhyNotAsync(CanvasUserClients canvas, long? canvasCourseId, Guid personId, CancellationToken cancellationToken)
    {
        if (canvasCourseId is null)
        {
            return "The PD course is not a Canvas course (its launches gave no Canvas course id), so there is no Canvas gradebook column to write to.";
        }

        var status = await canvas.GetStatusAsync(personId, cancellationToken);
        if (!status.Configured)
        {
            return "The district has not set its Canvas developer key, so the tool cannot use the Canvas REST API.";
        }

        return status.Connected ? null : "Connect the tool to Canvas first (your Canvas access), then turn the column on: the tool writes the column as you.";
    }
}

/// <summary>
/// Writes a teacher's running total ("12.5 hours") to their cell of the PD course's "In-service hours" Canvas column,
/// as the district admin who turned the column on. The total is read from the ledger when sent, so a resend writes
/// the same text and a late message writes the newest total. A teacher whose Canvas user id is unknown, or an admin
/// connection Canvas no longer accepts, fails the send with a sentence on the outbox row; it is sent again from the
/// outbox page once that is fixed.
/// </summary>
public sealed partial class HoursColumnHandler(AppDbContext db, CanvasUserClients canvas, ILogger<HoursColumnHandler> logger) : IOutboxHandler
{
    public const string ColumnKind = "hours.column";


    public string Kind => ColumnKind;

    public async Task SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        var payload = message.PayloadAs<HoursPassbackPayload>();
        var settings = await db.HoursSettings.AsNoTracking().SingleOrDefaultAsync(s => s.TenantId == message.TenantId, cancellationToken);
        if (settings is not { ColumnEnabled: true, CanvasCourseId: { } courseId, CanvasColumnId: { } columnId, ColumnConnectedBy: { } adminId })
        {
            LogSkipped(logger, message.Id, "the Canvas column is turned off");
            return;
        }

        var teacher = await db.People.AsNoTracking().Where(p => p.Id == payload.TeacherId && p.TenantId == message.TenantId)
            .Select(p => new { p.PlatformId, p.CanvasUserId }).SingleOrDefaultAsync(cancellationToken);
        if (teacher is null || teacher.PlatformId != settings.PlatformId)
        {
            LogSkipped(logger, message.Id, "the teacher is not known on the PD course's LMS");
            return;
        }

        var canvasUserId = teacher.CanvasUserId ?? throw new InvalidOperationException(
            "The teacher's Canvas user id is not known (their launches have not carried canvas_user_id), so their cell of the Canvas column cannot be written. "
            + "Once they have opened the tool from Canvas, send this message again.");
        var total = await HoursPassbackHandler.TotalAsync(db, message.TenantId, payload.TeacherId, cancellationToken);
        if (total is null)
        {
            LogSkipped(logger, message.Id, "the teacher has no in-service hours entry");
            return;
        }

        try
        {
            var client = await canvas.ForPersonAsync(adminId, cancellationToken);
            await client.SetCustomColumnDatumAsync(courseId, columnId, canvasUserId, Text(total.Value.Hours), cancellationToken);
        }
        catch (Exception e) when (e is CanvasAuthorizationRequiredException or CanvasNotConfiguredException)
        {
            throw new InvalidOperationException(
                "Canvas no longer accepts the Canvas connection of the district administrator who turned on the “In-service hours” column (or it was removed). "
                + "They connect the tool to Canvas again (or another district administrator turns the column on), then send this message again.", e);
        }

        LogWritten(logger, message.Id);
    }

    /// <summary>The cell's text: the same total always gives the same text.</summary>
    public static string Text(decimal hours) =>
        string.Create(CultureInfo.InvariantCulture, $"{hours:0.##} {(hours == 1m ? "hour" : "hours")}");

    [LoggerMessage(Level = LogLevel.Information, Message = "Hours column message {MessageId} not sent: {Reason}.")]
    private static partial void LogSkipped(ILogger logger, Guid messageId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Hours column message {MessageId} wrote the teacher's total.")]
    private static partial void LogWritten(ILogger logger, Guid messageId);
}
