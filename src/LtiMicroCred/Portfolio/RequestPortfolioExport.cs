using Hangfire;
using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Audit;
using LtiMicroCred.Evidence;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Portfolio;

/// <summary>
/// Who may export (and download) a teacher's portfolio: the teacher; a district admin for any teacher of the tenant;
/// a principal for one attempt counted at a school they lead (the attempt they decide on), but not a teacher's whole
/// portfolio, which spans schools the principal does not lead. Someone of another tenant is told it does not exist.
/// </summary>
public static class PortfolioAccess
{
    public static bool CanExport(Actor actor, Guid teacherId, Attempt? attempt) =>
        actor.PersonId == teacherId || actor.IsDistrictAdmin || (attempt is not null && EvidenceAccess.CanSee(actor, attempt));

    public const string Refusal = "You can export your own portfolio; a district administrator can export any teacher's, and a principal one attempt at their school.";
}

/// <summary>
/// Asks for a portfolio ZIP: one attempt, or every attempt of a teacher. The request is saved and audited, then a job
/// builds the ZIP. Asking again while the same export is being built returns that one.
/// </summary>
public sealed class RequestPortfolioExport(AppDbContext db, AuditLog audit, IBackgroundJobClient jobs, TimeProvider time, IOptions<PortfolioOptions> options)
{
    /// <summary>An export still queued or running after this long was lost (a restart with in-memory job storage): asking again queues it again.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(15);

    public async Task<Guid> HandleAsync(Actor actor, PortfolioScope scope, Guid? attemptId, Guid? teacherId, CancellationToken cancellationToken)
    {
        Attempt? attempt = null;
        Guid teacher;
        if (scope == PortfolioScope.Attempt)
        {
            if (attemptId is not { } id)
            {
                throw new InvalidInputException(new Dictionary<string, string> { ["scope"] = "Choose the attempt to export, or export all your credentials." });
            }

            attempt = await db.Attempts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.TenantId == actor.TenantId, cancellationToken)
                ?? throw new NotFoundException("There is no such attempt.");
            teacher = attempt.TeacherId;
        }
        else
        {
            teacher = teacherId ?? actor.PersonId;
            if (!await db.People.AnyAsync(p => p.Id == teacher && p.TenantId == actor.TenantId, cancellationToken))
            {
                throw new NotFoundException("There is no such teacher.");
            }
        }

        if (!PortfolioAccess.CanExport(actor, teacher, attempt))
        {
            throw new ForbiddenException(PortfolioAccess.Refusal);
        }

        var now = time.GetUtcNow();
        var pending = await db.PortfolioExports.FirstOrDefaultAsync(e => e.TenantId == actor.TenantId && e.TeacherId == teacher && e.Scope == scope
            && e.AttemptId == attemptId && e.RequestedBy == actor.PersonId
            && (e.Status == PortfolioExportStatus.Queued || e.Status == PortfolioExportStatus.Running), cancellationToken);
        if (pending is not null && now - pending.CreatedAt < StaleAfter)
        {
            return pending.Id;
        }

        var export = pending ?? new PortfolioExport { Id = Guid.NewGuid(), TenantId = actor.TenantId, RequestedBy = actor.PersonId, TeacherId = teacher, Scope = scope, AttemptId = scope == PortfolioScope.Attempt ? attemptId : null };
        (export.Status, export.Done, export.Total, export.CreatedAt, export.StartedAt, export.FinishedAt, export.ExpiresAt) =
            (PortfolioExportStatus.Queued, 0, 0, now, null, null, now.AddDays(Math.Max(1, options.Value.KeepDays)));
        if (pending is null)
        {
            db.PortfolioExports.Add(export);
        }

        audit.Record(actor, "portfolio.requested", "person", teacher, scope == PortfolioScope.Attempt ? $"Portfolio export {export.Id:N} of attempt {attemptId:N}" : $"Portfolio export {export.Id:N} of all credentials");
        await db.SaveChangesAsync(cancellationToken);
        jobs.Enqueue<BuildPortfolioExportJob>(job => job.RunAsync(export.Id, CancellationToken.None));
        return export.Id;
    }
}

public sealed record PortfolioExportRow(Guid Id, PortfolioScope Scope, string Subject, string TeacherName, PortfolioExportStatus Status, int Done, int Total,
    long? SizeBytes, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>What the portfolio page shows: my exports (for me, or asked by me) and the download, authorised like the request.</summary>
public sealed class PortfolioQueries(AppDbContext db, IFileStore store, AuditLog audit, TimeProvider time)
{
    public async Task<IReadOnlyList<PortfolioExportRow>> MineAsync(Actor actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rows = await (from e in db.PortfolioExports.AsNoTracking()
                          join p in db.People on e.TeacherId equals p.Id
                          where e.TenantId == actor.TenantId && (e.TeacherId == actor.PersonId || e.RequestedBy == actor.PersonId) && e.ExpiresAt > now
                          orderby e.CreatedAt descending
                          select new { Export = e, Teacher = p.Name })
            .Take(50).ToListAsync(cancellationToken);
        var attemptIds = rows.Where(r => r.Export.AttemptId is not null).Select(r => r.Export.AttemptId!.Value).Distinct().ToList();
        var titles = await (from a in db.Attempts join c in db.Credentials on a.CredentialId equals c.Id where attemptIds.Contains(a.Id) select new { a.Id, c.Title, a.Number })
            .ToDictionaryAsync(a => a.Id, a => $"{a.Title} (attempt {a.Number})", cancellationToken);
        return rows.Select(r => new PortfolioExportRow(r.Export.Id, r.Export.Scope,
                r.Export.AttemptId is { } a ? titles.GetValueOrDefault(a, "One attempt") : "All credentials", r.Teacher, r.Export.Status, r.Export.Done, r.Export.Total,
                r.Export.SizeBytes, r.Export.CreatedAt, r.Export.ExpiresAt))
            .ToList();
    }

    /// <summary>The ZIP of a ready export, for those who may export that portfolio; the download is audited.</summary>
    public async Task<(string FileName, long Length, Func<CancellationToken, Task<Stream>> Open)> DownloadAsync(Actor actor, Guid exportId, CancellationToken cancellationToken)
    {
        var export = await db.PortfolioExports.AsNoTracking().SingleOrDefaultAsync(e => e.Id == exportId && e.TenantId == actor.TenantId, cancellationToken);
        if (export is null || export.ExpiresAt <= time.GetUtcNow())
        {
            throw new NotFoundException("There is no such export.");
        }

        var attempt = export.AttemptId is { } attemptId ? await db.Attempts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attemptId, cancellationToken) : null;
        if (!PortfolioAccess.CanExport(actor, export.TeacherId, attempt))
        {
            throw new ForbiddenException(PortfolioAccess.Refusal);
        }

        if (export.Status != PortfolioExportStatus.Ready || export.FileKey is not { } key)
        {
            throw new RuleViolationException("This export is not ready yet.");
        }

        audit.Record(actor, "portfolio.downloaded", "person", export.TeacherId, $"Portfolio export {export.Id:N}");
        await db.SaveChangesAsync(cancellationToken);
        return ($"portfolio-{export.CreatedAt:yyyy-MM-dd}-{export.Id.ToString("N")[..8]}.zip", export.SizeBytes ?? 0, ct => store.OpenAsync(key, ct));
    }
}
