using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Coaching;

public sealed record CoachQueueEntry(Guid CheckInId, Guid AttemptId, string TeacherName, string CredentialTitle, CheckInAbout About, DateTimeOffset RequestedAt, DateTimeOffset? AnsweredAt);

/// <summary>A check-in for its coach, with the attempt as it stands (plan and evidence).</summary>
public sealed record CoachCheckInView(CheckIn CheckIn, AttemptView Attempt);

/// <summary>
/// The coach's side of check-ins: their queue, one check-in with the attempt's plan and evidence, and the answer.
/// Only the coach it was asked of sees or answers it; in another tenant it does not exist.
/// </summary>
public sealed class CoachCheckIns(AppDbContext db, AttemptQueries attempts, TimeProvider time)
{
    public async Task<IReadOnlyList<CoachQueueEntry>> QueueAsync(Actor actor, CancellationToken cancellationToken)
    {
        var rows = await (
            from c in db.CheckIns.AsNoTracking()
            join a in db.Attempts.AsNoTracking() on c.AttemptId equals a.Id
            join t in db.People.AsNoTracking() on c.TeacherId equals t.Id
            join cr in db.Credentials.AsNoTracking() on a.CredentialId equals cr.Id
            where c.TenantId == actor.TenantId && c.CoachId == actor.PersonId
            select new CoachQueueEntry(c.Id, a.Id, t.Name, cr.Title, c.About, c.RequestedAt, c.AnsweredAt))
            .Take(500)
            .ToListAsync(cancellationToken);
        // Open ones first, oldest request first; then answered ones, most recent answer first.
        return rows.Where(r => r.AnsweredAt is null).OrderBy(r => r.RequestedAt)
            .Concat(rows.Where(r => r.AnsweredAt is not null).OrderByDescending(r => r.AnsweredAt))
            .ToList();
    }

    public async Task<CoachCheckInView> OpenAsync(Actor actor, Guid checkInId, CancellationToken cancellationToken)
    {
        var checkIn = await FindAsync(actor, checkInId, tracked: false, cancellationToken);
        return new CoachCheckInView(checkIn, await attempts.DetailAsync(actor, checkIn.AttemptId, cancellationToken));
    }

    /// <summary>Records the coach's comments. Formative only: the attempt is not touched.</summary>
    public async Task AnswerAsync(Actor actor, Guid checkInId, IReadOnlyDictionary<string, string?> comments, string? general, CancellationToken cancellationToken)
    {
        var checkIn = await FindAsync(actor, checkInId, tracked: true, cancellationToken);
        if (checkIn.AnsweredAt is not null)
        {
            throw new RuleViolationException("You have already answered this check-in. The teacher can ask for another one.");
        }

        var criteria = await (
            from a in db.Attempts.AsNoTracking()
            join v in db.CredentialVersions.AsNoTracking() on a.CredentialVersionId equals v.Id
            where a.Id == checkIn.AttemptId
            select v.Definition)
            .SingleAsync(cancellationToken);
        var given = criteria.Criteria
            .Select(c => new CheckInComment(c.Key, comments.GetValueOrDefault(c.Key)?.Trim() ?? string.Empty))
            .Where(c => c.Text.Length > 0)
            .ToList();
        var errors = new Dictionary<string, string>();
        foreach (var c in given.Where(c => c.Text.Length > TeacherCheckIns.MaxText))
        {
            errors["comment-" + c.CriterionKey] = $"Keep each comment under {TeacherCheckIns.MaxText} characters.";
        }

        var overall = general?.Trim();
        if (overall is { Length: > TeacherCheckIns.MaxText })
        {
            errors["General"] = $"Keep the general comment under {TeacherCheckIns.MaxText} characters.";
        }

        if (errors.Count == 0 && given.Count == 0 && string.IsNullOrEmpty(overall))
        {
            errors["General"] = "Write at least one comment for the teacher.";
        }

        if (errors.Count > 0)
        {
            throw new InvalidInputException(errors);
        }

        checkIn.Comments = given;
        checkIn.GeneralComment = string.IsNullOrEmpty(overall) ? null : overall;
        checkIn.AnsweredAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<CheckIn> FindAsync(Actor actor, Guid checkInId, bool tracked, CancellationToken cancellationToken)
    {
        var query = tracked ? db.CheckIns : db.CheckIns.AsNoTracking();
        var checkIn = await query.SingleOrDefaultAsync(c => c.Id == checkInId && c.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("There is no such check-in.");
        return checkIn.CoachId == actor.PersonId ? checkIn : throw new ForbiddenException("Only the coach the teacher asked can see and answer this check-in.");
    }
}
