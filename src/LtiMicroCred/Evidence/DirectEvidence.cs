using System.Security.Cryptography;
using Ganss.Xss;
using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Evidence;

public sealed class EvidenceOptions
{
    public const string Section = "Evidence";

    /// <summary>The largest file a teacher can upload; larger ones are refused while they arrive, nothing kept.</summary>
    public long MaxUploadBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>File name extensions accepted for upload (lower case, with the dot).</summary>
    public IList<string> AllowedExtensions { get; set; } =
        [".pdf", ".docx", ".doc", ".xlsx", ".pptx", ".txt", ".csv", ".png", ".jpg", ".jpeg", ".gif", ".mp4", ".mov", ".m4a", ".mp3", ".zip"];

    public int MaxTextLength { get; set; } = 50_000;
}

/// <summary>
/// Where a virus scanner plugs in: called with every uploaded file before it is kept. The default accepts everything;
/// a district that runs a scanner registers its own.
/// </summary>
public interface IEvidenceScanner
{
    /// <summary>Null to accept, or a sentence for the teacher saying why the file is refused.</summary>
    Task<string?> ScanAsync(Stream content, string fileName, CancellationToken cancellationToken);
}

public sealed class NoEvidenceScanner : IEvidenceScanner
{
    public Task<string?> ScanAsync(Stream content, string fileName, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}

/// <summary>What a teacher gives in the tool for one criterion.</summary>
public abstract record DirectEvidenceInput(string CriterionKey, string Title);

public sealed record FileEvidence(string CriterionKey, string Title, string FileName, string ContentType, Stream Content) : DirectEvidenceInput(CriterionKey, Title);

public sealed record LinkEvidence(string CriterionKey, string Title, string Url) : DirectEvidenceInput(CriterionKey, Title);

public sealed record TextEvidence(string CriterionKey, string Title, string Html) : DirectEvidenceInput(CriterionKey, Title);

public sealed record VideoEvidence(string CriterionKey, string Title, string Url, int Minutes) : DirectEvidenceInput(CriterionKey, Title);

/// <summary>
/// Evidence given directly in the tool, so the flow works in any LTI 1.3 LMS: uploads (capped, types allowed, scanned,
/// hashed, stored once per content), http(s) links, sanitized text, and video links with a declared length.
/// </summary>
public sealed class AddDirectEvidence(
    AppDbContext db,
    AttemptLifecycle lifecycle,
    EvidenceFiles evidenceFiles,
    IEvidenceScanner scanner,
    HtmlSanitizer sanitizer,
    IOptions<EvidenceOptions> options)
{
    public async Task<Guid> HandleAsync(Actor actor, Guid attemptId, DirectEvidenceInput input, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.OwnAsync(actor, attemptId, cancellationToken);
        await EvidenceRules.RequireOpenForEvidenceAsync(db, attempt, input.CriterionKey, cancellationToken);
        var title = string.IsNullOrWhiteSpace(input.Title) ? null : input.Title.Trim();
        if (title is { Length: > 500 })
        {
            throw InvalidInputException.For("Title", "Keep the title under 500 characters.");
        }

        var item = new EvidenceItem
        {
            Id = Guid.NewGuid(),
            TenantId = attempt.TenantId,
            AttemptId = attempt.Id,
            CriterionKey = input.CriterionKey,
            Source = EvidenceSource.Direct,
            Title = title ?? "Evidence",
            AddedBy = actor.PersonId,
            AddedAt = lifecycle.Now,
        };
        switch (input)
        {
            case FileEvidence file:
                item.Form = EvidenceForm.File;
                item.FileId = await StoreAsync(attempt.TenantId, file, cancellationToken);
                item.Title = title ?? Path.GetFileName(file.FileName);
                break;
            case LinkEvidence link:
                item.Form = EvidenceForm.Link;
                item.Url = EvidenceRules.RequireWebAddress(link.Url, "Url");
                break;
            case VideoEvidence video:
                item.Form = EvidenceForm.VideoLink;
                item.Url = EvidenceRules.RequireWebAddress(video.Url, "Url");
                item.VideoMinutes = video.Minutes is > 0 and <= 600 ? video.Minutes : throw InvalidInputException.For("Minutes", "Give the video's length in whole minutes (1 to 600).");
                break;
            case TextEvidence text:
                item.Form = EvidenceForm.Text;
                item.Html = Sanitize(text.Html);
                break;
        }

        db.EvidenceItems.Add(item);
        lifecycle.Touch(attempt);
        await lifecycle.SaveAsync(cancellationToken);
        return item.Id;
    }

    internal string Sanitize(string html)
    {
        if (string.IsNullOrWhiteSpace(html))
        {
            throw InvalidInputException.For("Text", "Write something first.");
        }

        if (html.Length > options.Value.MaxTextLength)
        {
            throw InvalidInputException.For("Text", $"Keep the text under {options.Value.MaxTextLength} characters.");
        }

        var clean = sanitizer.Sanitize(html);
        return string.IsNullOrWhiteSpace(clean) ? throw InvalidInputException.For("Text", "Nothing is left of this text once unsafe markup is removed.") : clean;
    }

    private async Task<Guid> StoreAsync(Guid tenantId, FileEvidence file, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(file.FileName ?? string.Empty);
        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (name.Length is 0 or > 255 || !options.Value.AllowedExtensions.Contains(extension))
        {
            throw InvalidInputException.For("File", $"Files of this type cannot be uploaded. Allowed: {string.Join(", ", options.Value.AllowedExtensions)}.");
        }

        // Copy to a temporary file first: the cap is enforced on the bytes that arrive, not on a declared length,
        // and the hash is known before anything is kept.
        var temporary = Path.GetTempFileName();
        try
        {
            string sha256;
            long length;
            await using (var spool = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                (sha256, length) = await CopyCappedAsync(file.Content, spool, options.Value.MaxUploadBytes, cancellationToken);
                spool.Position = 0;
                if (await scanner.ScanAsync(spool, name, cancellationToken) is { } refusal)
                {
                    throw InvalidInputException.For("File", refusal);
                }
            }

            return await evidenceFiles.KeepAsync(tenantId, temporary, sha256, length, name, file.ContentType, cancellationToken);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static async Task<(string Sha256, long Length)> CopyCappedAsync(Stream source, Stream target, long cap, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > cap)
            {
                throw InvalidInputException.For("File", $"The file is larger than {cap / (1024 * 1024)} MB. Share a link to it instead.");
            }

            hash.AppendData(buffer, 0, read);
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        if (total == 0)
        {
            throw InvalidInputException.For("File", "The file is empty.");
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), total);
    }
}

/// <summary>The teacher removes a piece of evidence they gave, while the attempt is still theirs to change.</summary>
public sealed class RemoveEvidence(AppDbContext db, AttemptLifecycle lifecycle)
{
    public async Task HandleAsync(Actor actor, Guid evidenceId, CancellationToken cancellationToken)
    {
        var item = await db.EvidenceItems.SingleOrDefaultAsync(e => e.Id == evidenceId && e.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("There is no such evidence.");
        var attempt = await lifecycle.OwnAsync(actor, item.AttemptId, cancellationToken);
        await EvidenceRules.RequireOpenForEvidenceAsync(db, attempt, item.CriterionKey, cancellationToken);
        db.EvidenceItems.Remove(item);
        lifecycle.Touch(attempt);
        await lifecycle.SaveAsync(cancellationToken);
    }
}

/// <summary>The teacher's reflection on a criterion: written, rewritten, sanitized.</summary>
public sealed class SaveReflection(AppDbContext db, AttemptLifecycle lifecycle, AddDirectEvidence evidence)
{
    public async Task HandleAsync(Actor actor, Guid attemptId, string criterionKey, string html, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.OwnAsync(actor, attemptId, cancellationToken);
        await EvidenceRules.RequireOpenForEvidenceAsync(db, attempt, criterionKey, cancellationToken);
        var clean = evidence.Sanitize(html);
        var reflection = await db.Reflections.SingleOrDefaultAsync(r => r.AttemptId == attemptId && r.CriterionKey == criterionKey, cancellationToken);
        if (reflection is null)
        {
            db.Reflections.Add(new Reflection { AttemptId = attemptId, CriterionKey = criterionKey, Html = clean, UpdatedAt = lifecycle.Now });
        }
        else
        {
            reflection.Html = clean;
            reflection.UpdatedAt = lifecycle.Now;
        }

        lifecycle.Touch(attempt);
        await lifecycle.SaveAsync(cancellationToken);
    }
}

internal static class EvidenceRules
{
    public static async Task RequireOpenForEvidenceAsync(AppDbContext db, Attempt attempt, string criterionKey, CancellationToken cancellationToken)
    {
        if (attempt.Status != AttemptStatus.InProgress)
        {
            throw new RuleViolationException(attempt.Status is AttemptStatus.Selected or AttemptStatus.Planning or AttemptStatus.PlanSubmitted or AttemptStatus.PlanApproved
                ? "Start gathering evidence first (after your plan is approved, where your district asks for approval)."
                : $"This attempt is {AttemptStateMachine.Describe(attempt.Status).ToLowerInvariant()}, so its evidence can no longer be changed.");
        }

        var definition = await db.CredentialVersions.AsNoTracking().Where(v => v.Id == attempt.CredentialVersionId).Select(v => v.Definition).SingleAsync(cancellationToken);
        if (definition.Criterion(criterionKey) is null)
        {
            throw InvalidInputException.For("CriterionKey", "This microcredential has no such submission criterion.");
        }
    }

    public static string RequireWebAddress(string url, string field) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.AbsoluteUri.Length <= 2048
            ? uri.AbsoluteUri
            : throw InvalidInputException.For(field, "Give a web address starting with https:// or http://.");
}
