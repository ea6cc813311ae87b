using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ganss.Xss;
using LtiMicroCred.Attempts;
using LtiMicroCred.Decisions;
using LtiMicroCred.Evidence;
using LtiMicroCred.Persistence;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Portfolio;

/// <summary>
/// Builds a portfolio ZIP: per attempt its evidence (files streamed from the store one at a time, texts as HTML, links
/// as text), reflections, peer feedback (reviewers are "Reviewer 1", "Reviewer 2", never named) and the decision; then
/// manifest.json (ids, titles, dates, SHA-256 of every entry) and an index.html readable offline. The ZIP is spooled to
/// a temporary file and put in the file store. Every entry's time is the request's, so the same data gives the same
/// bytes and the same store key: a second run (or a retry after a crash, which starts again from the beginning)
/// leaves one file. Errors propagate so Hangfire retries.
/// </summary>
public sealed partial class BuildPortfolioExportJob(AppDbContext db, IFileStore store, HtmlSanitizer sanitizer, TimeProvider time, ILogger<BuildPortfolioExportJob> logger)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task RunAsync(Guid exportId, CancellationToken cancellationToken)
    {
        var export = await db.PortfolioExports.SingleOrDefaultAsync(e => e.Id == exportId, cancellationToken);
        if (export is null || (export.Status == PortfolioExportStatus.Ready && export.FileKey is { } key && await store.ExistsAsync(key, cancellationToken)))
        {
            return;
        }

        (export.Status, export.Done, export.StartedAt, export.FinishedAt) = (PortfolioExportStatus.Running, 0, time.GetUtcNow(), null);
        await db.SaveChangesAsync(cancellationToken);
        var temporary = Path.Combine(Path.GetTempPath(), $"ltimc-portfolio-{Guid.NewGuid():N}.zip");
        try
        {
            var content = await LoadAsync(export, cancellationToken);
            export.Total = content.Evidence.Count + content.Attempts.Count * 2 + 2;
            await db.SaveChangesAsync(cancellationToken);
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, useAsync: true))
            {
                await WriteZipAsync(export, content, file, cancellationToken);
            }

            string sha256;
            await using (var zip = File.OpenRead(temporary))
            {
                sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(zip, cancellationToken));
            }

            await using (var zip = File.OpenRead(temporary))
            {
                export.FileKey = await store.PutAsync(export.TenantId, sha256, zip, cancellationToken);
            }

            (export.Sha256, export.SizeBytes, export.Status, export.Done, export.FinishedAt) =
                (sha256, new FileInfo(temporary).Length, PortfolioExportStatus.Ready, export.Total, time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            LogBuilt(logger, export.Id, export.Total, export.SizeBytes.Value);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, exportId, e.GetType().Name);
            db.ChangeTracker.Clear();
            if (await db.PortfolioExports.SingleOrDefaultAsync(x => x.Id == exportId, CancellationToken.None) is { Status: not PortfolioExportStatus.Ready } failed)
            {
                (failed.Status, failed.FinishedAt) = (PortfolioExportStatus.Failed, time.GetUtcNow());
                await db.SaveChangesAsync(CancellationToken.None);
            }

            throw;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private sealed record AttemptContent(Attempt Attempt, string CredentialTitle, Catalog.CredentialDefinition? Definition, AttemptDecision? Decision, string? DecidedBy,
        IReadOnlyList<ReviewAssignment> Reviews, IReadOnlyList<Reflection> Reflections);

    private sealed record Content(string TeacherName, IReadOnlyList<AttemptContent> Attempts, IReadOnlyList<EvidenceItem> Evidence, IReadOnlyDictionary<Guid, StoredFile> Files);

    private async Task<Content> LoadAsync(PortfolioExport export, CancellationToken cancellationToken)
    {
        var teacherName = await db.People.Where(p => p.Id == export.TeacherId).Select(p => p.Name).SingleAsync(cancellationToken);
        var attempts = await db.Attempts.AsNoTracking()
            .Where(a => a.TenantId == export.TenantId && a.TeacherId == export.TeacherId && (export.AttemptId == null || a.Id == export.AttemptId))
            .ToListAsync(cancellationToken);
        attempts = attempts.OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToList();
        var ids = attempts.Select(a => a.Id).ToList();
        var credentialIds = attempts.Select(a => a.CredentialId).Distinct().ToList();
        var versionIds = attempts.Select(a => a.CredentialVersionId).Distinct().ToList();
        var titles = await db.Credentials.AsNoTracking().Where(c => credentialIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Title, cancellationToken);
        var versions = await db.CredentialVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).ToDictionaryAsync(v => v.Id, v => v.Definition, cancellationToken);
        var decisions = await db.AttemptDecisions.AsNoTracking().Where(d => ids.Contains(d.AttemptId)).ToListAsync(cancellationToken);
        var deciderIds = decisions.Select(d => d.DecidedBy).Distinct().ToList();
        var deciders = await db.People.AsNoTracking().Where(p => deciderIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var reviews = await db.ReviewAssignments.AsNoTracking().Where(r => ids.Contains(r.AttemptId) && r.Status == ReviewStatus.Submitted).ToListAsync(cancellationToken);
        var reflections = await db.Reflections.AsNoTracking().Where(r => ids.Contains(r.AttemptId)).ToListAsync(cancellationToken);
        var evidence = (await db.EvidenceItems.AsNoTracking().Where(e => ids.Contains(e.AttemptId)).ToListAsync(cancellationToken))
            .OrderBy(e => ids.IndexOf(e.AttemptId)).ThenBy(e => e.AddedAt).ThenBy(e => e.Id).ToList();
        var fileIds = evidence.Where(e => e.FileId is not null).Select(e => e.FileId!.Value).Distinct().ToList();
        var files = await db.StoredFiles.AsNoTracking().Where(f => fileIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, cancellationToken);
        return new Content(teacherName,
            attempts.Select(a =>
            {
                var decision = decisions.FirstOrDefault(d => d.AttemptId == a.Id);
                return new AttemptContent(a, titles.GetValueOrDefault(a.CredentialId, "Microcredential"), versions.GetValueOrDefault(a.CredentialVersionId), decision,
                    decision is null ? null : deciders.GetValueOrDefault(decision.DecidedBy),
                    reviews.Where(r => r.AttemptId == a.Id).OrderBy(r => r.SubmittedAt).ThenBy(r => r.Id).ToList(),
                    reflections.Where(r => r.AttemptId == a.Id).OrderBy(r => r.CriterionKey, StringComparer.Ordinal).ToList());
            }).ToList(),
            evidence, files);
    }

    private sealed record ManifestFile(string Path, string Kind, string Sha256, long Size, Guid? EvidenceId = null, string? CriterionKey = null, string? Title = null,
        DateTimeOffset? AddedAt = null, string? Url = null, bool? Missing = null);

    private async Task WriteZipAsync(PortfolioExport export, Content content, Stream output, CancellationToken cancellationToken)
    {
        var stamp = export.CreatedAt;
        await using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var manifestAttempts = new List<object>();
        var index = new StringBuilder();
        var position = 0;
        foreach (var a in content.Attempts)
        {
            position++;
            var folder = $"attempts/{position:00}-{PortfolioNames.Safe(a.CredentialTitle, "microcredential", 60)}-attempt-{a.Attempt.Number}";
            var entries = new List<ManifestFile>();
            var number = 0;
            foreach (var item in content.Evidence.Where(e => e.AttemptId == a.Attempt.Id))
            {
                number++;
                entries.Add(await WriteEvidenceAsync(zip, folder, number, item, content.Files, stamp, cancellationToken));
                await ProgressAsync(export, cancellationToken, save: item.Form == EvidenceForm.File);
            }

            entries.Add(Text(zip, $"{folder}/reflections.html", "reflections", Page($"Reflections: {a.CredentialTitle}", ReflectionsBody(a)), stamp));
            await ProgressAsync(export, cancellationToken);
            entries.Add(Text(zip, $"{folder}/feedback-and-decision.html", "feedback", Page($"Feedback and decision: {a.CredentialTitle}", FeedbackBody(a)), stamp));
            await ProgressAsync(export, cancellationToken);
            manifestAttempts.Add(new
            {
                AttemptId = a.Attempt.Id, CredentialId = a.Attempt.CredentialId, CredentialVersionId = a.Attempt.CredentialVersionId, CredentialTitle = a.CredentialTitle,
                AttemptNumber = a.Attempt.Number, Status = a.Attempt.Status.ToString(), StartedAt = a.Attempt.CreatedAt, a.Attempt.SubmittedAt,
                Decision = a.Decision is { } d ? new { DecisionId = d.Id, Outcome = d.Outcome.ToString(), d.DecidedAt } : null,
                Folder = folder,
                Files = entries,
            });
            AppendIndex(index, a, entries);
        }

        var manifest = JsonSerializer.SerializeToUtf8Bytes(new
        {
            Format = "ltimicrocred-portfolio/1",
            ExportId = export.Id,
            TeacherId = export.TeacherId,
            TeacherName = content.TeacherName,
            Scope = export.Scope.ToString(),
            CreatedAt = export.CreatedAt,
            Attempts = manifestAttempts,
        }, Json);
        Write(zip, "manifest.json", manifest, stamp);
        await ProgressAsync(export, cancellationToken);
        var indexBody = $"<p>Portfolio of {E(content.TeacherName)}, exported {E(export.CreatedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture))}. "
            + "The list of every file with its SHA-256 is in <a href=\"manifest.json\">manifest.json</a>.</p>"
            + (content.Attempts.Count == 0 ? "<p>There are no attempts to export.</p>" : index.ToString());
        Write(zip, "index.html", Encoding.UTF8.GetBytes(Page($"Portfolio: {content.TeacherName}", indexBody)), stamp);
        await ProgressAsync(export, cancellationToken);
    }

    /// <summary>Counts one entry written; saved every ten entries and after each stored file (the slow ones), for the page's progress bar.</summary>
    private async Task ProgressAsync(PortfolioExport export, CancellationToken cancellationToken, bool save = false)
    {
        export.Done = Math.Min(export.Done + 1, export.Total);
        if (save || export.Done % 10 == 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private async Task<ManifestFile> WriteEvidenceAsync(ZipArchive zip, string folder, int number, EvidenceItem item, IReadOnlyDictionary<Guid, StoredFile> files,
        DateTimeOffset stamp, CancellationToken cancellationToken)
    {
        var prefix = $"{folder}/evidence/{number:00}-";
        if (item.Form == EvidenceForm.File && item.FileId is { } fileId && files.TryGetValue(fileId, out var stored))
        {
            var path = prefix + PortfolioNames.Safe(stored.FileName, "file", 80);
            if (!await store.ExistsAsync(stored.StorageKey, cancellationToken))
            {
                return new ManifestFile(path, "evidence-file", string.Empty, 0, item.Id, item.CriterionKey, item.Title, item.AddedAt, Missing: true);
            }

            var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
            entry.LastWriteTime = stamp;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var source = await store.OpenAsync(stored.StorageKey, cancellationToken))
            await using (var target = await entry.OpenAsync(cancellationToken))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    size += read;
                }
            }

            return new ManifestFile(path, "evidence-file", Convert.ToHexStringLower(hash.GetHashAndReset()), size, item.Id, item.CriterionKey, item.Title, item.AddedAt);
        }

        if (item.Form is EvidenceForm.Link or EvidenceForm.VideoLink)
        {
            var text = $"{item.Title}\r\n{item.Url}\r\n" + (item.VideoMinutes is { } minutes ? $"Length: {minutes} minutes\r\n" : string.Empty);
            var link = Text(zip, prefix + PortfolioNames.Safe(item.Title, "link", 60) + ".txt", "evidence-link", Encoding.UTF8.GetBytes(text), stamp);
            return link with { EvidenceId = item.Id, CriterionKey = item.CriterionKey, Title = item.Title, AddedAt = item.AddedAt, Url = item.Url };
        }

        var html = Text(zip, prefix + PortfolioNames.Safe(item.Title, "text", 60) + ".html", "evidence-text",
            Page(item.Title, $"<p>Criterion: {E(item.CriterionKey)}. Added {Date(item.AddedAt)}.</p><div>{sanitizer.Sanitize(item.Html ?? string.Empty)}</div>"), stamp);
        return html with { EvidenceId = item.Id, CriterionKey = item.CriterionKey, Title = item.Title, AddedAt = item.AddedAt };
    }

    private string ReflectionsBody(AttemptContent a)
    {
        if (a.Reflections.Count == 0)
        {
            return "<p>No reflections were written for this attempt.</p>";
        }

        var body = new StringBuilder();
        foreach (var r in a.Reflections)
        {
            var title = a.Definition?.Criteria.FirstOrDefault(c => c.Key == r.CriterionKey)?.Title ?? r.CriterionKey;
            body.Append($"<h2>{E(title)}</h2><p>Last changed {Date(r.UpdatedAt)}.</p><div>{sanitizer.Sanitize(r.Html)}</div>");
        }

        return body.ToString();
    }

    private static string FeedbackBody(AttemptContent a)
    {
        var body = new StringBuilder();
        string Criterion(string key) => a.Definition?.Rubric.Criteria.FirstOrDefault(c => c.Key == key)?.Title ?? key;
        string Level(int? level) => level is { } l && a.Definition?.Rubric.Levels is { } levels && l >= 0 && l < levels.Count ? levels[l].Name : level?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not scored";
        body.Append("<h2>Peer reviews</h2>");
        if (a.Reviews.Count == 0)
        {
            body.Append("<p>No peer reviews.</p>");
        }

        var n = 0;
        foreach (var review in a.Reviews)
        {
            // Reviewers are numbered, never named: the portfolio may leave the district, and anonymity is the default.
            n++;
            body.Append($"<h3>Reviewer {n}</h3><p>Submitted {(review.SubmittedAt is { } at ? Date(at) : "")}. Outcome: {E(review.Outcome?.ToString() ?? "none")}.</p><ul>");
            foreach (var score in review.Scores)
            {
                body.Append($"<li>{E(Criterion(score.CriterionKey))}: {E(Level(score.Level))}{(string.IsNullOrWhiteSpace(score.Feedback) ? "" : " &mdash; " + E(score.Feedback))}</li>");
            }

            body.Append("</ul>");
            if (!string.IsNullOrWhiteSpace(review.OverallFeedback))
            {
                body.Append($"<p>{E(review.OverallFeedback)}</p>");
            }
        }

        body.Append("<h2>Decision</h2>");
        if (a.Decision is not { } d)
        {
            body.Append("<p>No decision yet.</p>");
            return body.ToString();
        }

        body.Append($"<p><strong>{(d.Outcome == DecisionOutcome.Awarded ? "Awarded" : "Not yet")}</strong> on {Date(d.DecidedAt)} by {E(a.DecidedBy ?? "the administrator")}.</p><ul>");
        foreach (var result in d.Results)
        {
            body.Append($"<li>{E(Criterion(result.CriterionKey))}: {E(Level(result.Level))}{(string.IsNullOrWhiteSpace(result.Feedback) ? "" : " &mdash; " + E(result.Feedback))}</li>");
        }

        body.Append("</ul>");
        if (!string.IsNullOrWhiteSpace(d.OverallFeedback))
        {
            body.Append($"<p>{E(d.OverallFeedback)}</p>");
        }

        return body.ToString();
    }

    private static void AppendIndex(StringBuilder index, AttemptContent a, IReadOnlyList<ManifestFile> entries)
    {
        index.Append($"<h2>{E(a.CredentialTitle)}, attempt {a.Attempt.Number}</h2>");
        index.Append($"<p>Started {Date(a.Attempt.CreatedAt)}{(a.Attempt.SubmittedAt is { } s ? $", submitted {Date(s)}" : "")}. Status: {E(a.Attempt.Status.ToString())}."
            + (a.Decision is { } d ? $" Decision: {(d.Outcome == DecisionOutcome.Awarded ? "awarded" : "not yet")} on {Date(d.DecidedAt)}." : "") + "</p><ul>");
        foreach (var f in entries)
        {
            var label = f.Title ?? (f.Kind == "reflections" ? "Reflections" : "Feedback and decision");
            index.Append(f.Missing == true
                ? $"<li>{E(label)} (the file is no longer in the tool)</li>"
                : $"<li><a href=\"{E(Href(f.Path))}\">{E(label)}</a>{(f.Url is { } url ? $" &mdash; {E(url)}" : "")}</li>");
        }

        index.Append("</ul>");
    }

    private static ManifestFile Text(ZipArchive zip, string path, string kind, string html, DateTimeOffset stamp) =>
        Text(zip, path, kind, Encoding.UTF8.GetBytes(html), stamp);

    private static ManifestFile Text(ZipArchive zip, string path, string kind, byte[] bytes, DateTimeOffset stamp)
    {
        Write(zip, path, bytes, stamp);
        return new ManifestFile(path, kind, Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes.Length);
    }

    private static void Write(ZipArchive zip, string path, byte[] bytes, DateTimeOffset stamp)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
        entry.LastWriteTime = stamp;
        using var target = entry.Open();
        target.Write(bytes);
    }

    /// <summary>A standalone page: no script may run when it is opened from disk.</summary>
    private static string Page(string title, string body) =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
        + $"<title>{E(title)}</title><style>body{{font-family:sans-serif;max-width:50em;margin:1em auto;line-height:1.5}}</style></head>"
        + $"<body><main><h1>{E(title)}</h1>{body}</main></body></html>\n";

    private static string Href(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Portfolio export {ExportId} is ready: {Entries} entries, {Bytes} bytes")]
    private static partial void LogBuilt(ILogger logger, Guid exportId, int entries, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Building portfolio export {ExportId} failed ({Failure}); Hangfire will retry")]
    private static partial void LogFailed(ILogger logger, Guid exportId, string failure);
}

/// <summary>File names inside the ZIP: letters, digits, dot, dash and underscore only; no folders, no leading dots.</summary>
public static class PortfolioNames
{
    public static string Safe(string? name, string fallback, int maxLength)
    {
        var last = (name ?? string.Empty).Replace('\\', '/').Split('/').LastOrDefault() ?? string.Empty;
        var builder = new StringBuilder(last.Length);
        foreach (var c in last.Normalize(NormalizationForm.FormKC))
        {
            var keep = char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';
            if (keep)
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var safe = builder.ToString();
        while (safe.Contains("..", StringComparison.Ordinal))
        {
            safe = safe.Replace("..", ".", StringComparison.Ordinal);
        }

        safe = safe.Trim('.', '-', '_');
        if (safe.Length > maxLength)
        {
            var extension = Path.GetExtension(safe);
            extension = extension.Length is > 1 and <= 10 ? extension : string.Empty;
            safe = safe[..(maxLength - extension.Length)].TrimEnd('.', '-', '_') + extension;
        }

        return safe.Length == 0 ? fallback : safe;
    }
}
