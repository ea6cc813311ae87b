using System.Text.Json;
using Ganss.Xss;
using Hangfire;
using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Canvas;
using LtiMicroCred.Canvas.Models;
using LtiMicroCred.CanvasAccess;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Evidence;

public enum EvidencePullState
{
    Queued,
    Running,
    Done,
    NeedsCanvasConnection,
    NotConfigured,
    Failed,
}

/// <summary>Where the latest pull of an attempt's LMS submissions stands: what the attempt page shows while it runs.</summary>
public sealed class EvidencePull
{
    public Guid AttemptId { get; set; }

    public EvidencePullState State { get; set; }

    public int ItemsAdded { get; set; }

    /// <summary>A sentence for the teacher; never Canvas's raw answer or any evidence content.</summary>
    public string? Message { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>The teacher asks the tool to bring in their submissions to the mapped LMS assignments; a job does it.</summary>
public sealed class RequestEvidencePull(AppDbContext db, AttemptLifecycle lifecycle, IBackgroundJobClient jobs)
{
    /// <summary>
    /// A pull still queued or running after this long was lost (a restart with in-memory job storage, a crash between
    /// saving the request and queueing the job): asking again queues it again, and the job is safe to run twice.
    /// </summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    public async Task HandleAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.OwnAsync(actor, attemptId, cancellationToken);
        if (attempt.Status != AttemptStatus.InProgress)
        {
            throw new RuleViolationException("Your LMS submissions are brought in while you gather evidence, before you submit for review.");
        }

        if (!await db.AssignmentMappings.AnyAsync(m => m.CredentialVersionId == attempt.CredentialVersionId, cancellationToken))
        {
            throw new RuleViolationException("No LMS assignment is linked to this microcredential: add your evidence here instead.");
        }

        var pull = await db.EvidencePulls.SingleOrDefaultAsync(p => p.AttemptId == attemptId, cancellationToken);
        if (pull is { State: EvidencePullState.Queued or EvidencePullState.Running } && lifecycle.Now - pull.RequestedAt < StaleAfter)
        {
            return;
        }

        if (pull is null)
        {
            pull = new EvidencePull { AttemptId = attemptId };
            db.EvidencePulls.Add(pull);
        }

        (pull.State, pull.Message, pull.ItemsAdded, pull.RequestedAt, pull.FinishedAt) = (EvidencePullState.Queued, null, 0, lifecycle.Now, null);
        await db.SaveChangesAsync(cancellationToken);
        jobs.Enqueue<PullCanvasEvidenceJob>(job => job.RunAsync(attemptId, CancellationToken.None));
    }
}

/// <summary>
/// Pulls the teacher's submission to each LMS assignment mapped to a criterion of the attempt's credential version:
/// body, URL, media link, attachments (downloaded through the Canvas client with its size cap and SHA-256, kept in the
/// file store once per content) and comments, with provenance (assignment, submission attempt, submitted at). What an
/// earlier pull brought is recognised by its source key, so a re-pull of unchanged work downloads nothing. Safe to
/// run twice; Canvas failures other than a missing connection propagate so Hangfire retries.
/// </summary>
public sealed partial class PullCanvasEvidenceJob(
    AppDbContext db,
    CanvasUserClients canvas,
    EvidenceFiles evidenceFiles,
    HtmlSanitizer sanitizer,
    TimeProvider time,
    ILogger<PullCanvasEvidenceJob> logger)
{
    public async Task RunAsync(Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await db.Attempts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attemptId, cancellationToken);
        var pull = await db.EvidencePulls.SingleOrDefaultAsync(p => p.AttemptId == attemptId, cancellationToken);
        if (attempt is null || pull is null)
        {
            return;
        }

        pull.State = EvidencePullState.Running;
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            pull.ItemsAdded = await PullAsync(attempt, cancellationToken);
            Finish(pull, EvidencePullState.Done, pull.ItemsAdded == 0 ? "Your LMS submissions are already here: nothing new." : $"{pull.ItemsAdded} new item(s) brought in from your LMS.");
        }
        catch (CanvasAuthorizationRequiredException)
        {
            Finish(pull, EvidencePullState.NeedsCanvasConnection, "Connect the tool to Canvas first, then bring in your submissions again.");
        }
        catch (CanvasNotConfiguredException)
        {
            Finish(pull, EvidencePullState.NotConfigured, "Your district has not set up Canvas access yet. Add your evidence here instead.");
        }
        catch (Exception e) when (e is CanvasException or IOException)
        {
            LogPullFailed(logger, attemptId, e.GetType().Name);
            db.ChangeTracker.Clear();
            var failed = await db.EvidencePulls.SingleAsync(p => p.AttemptId == attemptId, cancellationToken);
            Finish(failed, EvidencePullState.Failed, "Canvas could not be reached. The tool will try again by itself.");
            await db.SaveChangesAsync(cancellationToken);
            throw;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another run of this job recorded the same items first (the unique source key refused ours): the work is
            // there once, which is what this run was for.
            db.ChangeTracker.Clear();
            var done = await db.EvidencePulls.SingleAsync(p => p.AttemptId == attemptId, cancellationToken);
            Finish(done, EvidencePullState.Done, "Your LMS submissions are already here: nothing new.");
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private void Finish(EvidencePull pull, EvidencePullState state, string message) =>
        (pull.State, pull.Message, pull.FinishedAt) = (state, message, time.GetUtcNow());

    private async Task<int> PullAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        var canvasUserId = await db.People.Where(p => p.Id == attempt.TeacherId).Select(p => p.CanvasUserId).SingleAsync(cancellationToken)
            ?? throw new CanvasAuthorizationRequiredException(string.Empty, attempt.TeacherId.ToString(), "The teacher has not launched from Canvas.");
        var client = await canvas.ForPersonAsync(attempt.TeacherId, cancellationToken);
        var mappings = await db.AssignmentMappings.AsNoTracking().Where(m => m.CredentialVersionId == attempt.CredentialVersionId).ToListAsync(cancellationToken);
        var known = (await db.EvidenceItems.AsNoTracking().Where(e => e.AttemptId == attempt.Id && e.Source == EvidenceSource.CanvasSubmission)
            .Select(e => new { e.SourceAssignmentId, e.SourceItemKey }).ToListAsync(cancellationToken))
            .Select(e => (e.SourceAssignmentId, e.SourceItemKey)).ToHashSet();
        var added = 0;
        foreach (var mapping in mappings.OrderBy(m => m.CriterionKey, StringComparer.Ordinal))
        {
            if (!long.TryParse(mapping.CourseId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var courseId)
                || !long.TryParse(mapping.AssignmentId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var assignmentId))
            {
                continue;
            }

            var submission = await client.GetSubmissionAsync(courseId, assignmentId, canvasUserId, cancellationToken);
            foreach (var item in await ItemsOfAsync(attempt, mapping, submission, client, key => known.Contains((mapping.AssignmentId, key)), cancellationToken))
            {
                db.EvidenceItems.Add(item);
                added++;
            }
        }

        return added;
    }

    private async Task<List<EvidenceItem>> ItemsOfAsync(Attempt attempt, AssignmentMapping mapping, Submission submission, CanvasUserClient client,
        Func<string, bool> alreadyHere, CancellationToken cancellationToken)
    {
        var items = new List<EvidenceItem>();
        if (submission.SubmittedAt is null && submission.Attachments is not { Count: > 0 } && submission.SubmissionComments is not { Count: > 0 })
        {
            return items;
        }

        var number = submission.Attempt ?? 0;
        EvidenceItem New(string key, EvidenceForm form, string title) => new()
        {
            Id = Guid.NewGuid(),
            TenantId = attempt.TenantId,
            AttemptId = attempt.Id,
            CriterionKey = mapping.CriterionKey,
            Source = EvidenceSource.CanvasSubmission,
            Form = form,
            Title = title.Length > 500 ? title[..500] : title,
            SourceAssignmentId = mapping.AssignmentId,
            SourceAttempt = number,
            SourceSubmittedAt = submission.SubmittedAt,
            SourceItemKey = key,
            AddedBy = attempt.TeacherId,
            AddedAt = time.GetUtcNow(),
        };

        var assignmentName = mapping.AssignmentName ?? "LMS assignment";
        if (!string.IsNullOrWhiteSpace(submission.Body) && !alreadyHere($"body:{number}") && sanitizer.Sanitize(submission.Body) is { Length: > 0 } html)
        {
            var item = New($"body:{number}", EvidenceForm.Text, $"{assignmentName}: text entry");
            item.Html = html;
            items.Add(item);
        }

        if (Web(submission.Url) is { } url && !alreadyHere($"url:{number}"))
        {
            var item = New($"url:{number}", EvidenceForm.Link, $"{assignmentName}: link");
            item.Url = url;
            items.Add(item);
        }

        if (submission.AdditionalFields?.GetValueOrDefault("media_comment") is { ValueKind: JsonValueKind.Object } media
            && media.TryGetProperty("url", out var mediaUrl) && Web(mediaUrl.GetString()) is { } mediaLink && !alreadyHere($"media:{number}"))
        {
            var item = New($"media:{number}", EvidenceForm.VideoLink, $"{assignmentName}: media recording");
            item.Url = mediaLink;
            items.Add(item);
        }

        foreach (var attachment in submission.Attachments ?? [])
        {
            var key = $"file:{attachment.Id}";
            if (alreadyHere(key))
            {
                continue;
            }

            var item = New(key, EvidenceForm.File, attachment.DisplayName ?? attachment.Filename ?? "Attachment");
            item.FileId = await StoreAsync(attempt.TenantId, attachment, client, cancellationToken);
            items.Add(item);
        }

        foreach (var comment in submission.SubmissionComments ?? [])
        {
            var key = $"comment:{comment.Id}";
            if (string.IsNullOrWhiteSpace(comment.Comment) || alreadyHere(key))
            {
                continue;
            }

            var item = New(key, EvidenceForm.Text, $"Comment from {comment.AuthorName ?? "someone"} in the LMS");
            item.Html = PlainText.ToHtml(comment.Comment);
            items.Add(item);
        }

        return items;
    }

    private async Task<Guid> StoreAsync(Guid tenantId, CanvasFile attachment, CanvasUserClient client, CancellationToken cancellationToken)
    {
        var temporary = Path.Combine(Path.GetTempPath(), $"ltimc-pull-{Guid.NewGuid():N}");
        try
        {
            var download = await client.DownloadFileAsync(attachment, temporary, cancellationToken);
            return await evidenceFiles.KeepAsync(tenantId, temporary, download.Sha256Hex.ToLowerInvariant(), download.Length,
                attachment.Filename ?? attachment.DisplayName ?? "attachment", download.ContentType ?? attachment.ContentType, cancellationToken);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static string? Web(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri.AbsoluteUri : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pulling LMS evidence for attempt {AttemptId} failed ({Failure}); Hangfire will retry")]
    private static partial void LogPullFailed(ILogger logger, Guid attemptId, string failure);
}
