using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Coaching;

public sealed record CoachOption(Guid PersonId, string Name);

public sealed record CheckInEntry(CheckIn CheckIn, string CoachName);

/// <summary>The teacher's check-ins page: their coaches for this attempt and every check-in so far.</summary>
public sealed record AttemptCheckIns(Guid AttemptId, string CredentialTitle, AttemptStatus Status, bool HasPlan, IReadOnlyList<CoachOption> Coaches, IReadOnlyList<CheckInEntry> CheckIns)
{
    public bool CanAsk => TeacherCheckIns.CanAsk(Status) && Coaches.Count > 0;
}

/// <summary>
/// Coach check-ins (Lake County badge facilitators, Juab pre-review): before formal submission a teacher asks one of
/// their coaches to look at the plan or the draft evidence; the coach answers with a comment per criterion and a
/// general one. A check-in is formative only: it never moves the attempt, whatever the answer.
/// </summary>
public sealed class TeacherCheckIns(AppDbContext db, AttemptLifecycle lifecycle, TimeProvider time)
{
    public const int MaxText = 4000;

    private static readonly AttemptStatus[] BeforeSubmission =
        [AttemptStatus.Selected, AttemptStatus.Planning, AttemptStatus.PlanSubmitted, AttemptStatus.PlanApproved, AttemptStatus.InProgress];

    public static bool CanAsk(AttemptStatus status) => BeforeSubmission.Contains(status);

    public async Task<AttemptCheckIns> ForAttemptAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.OwnAsync(actor, attemptId, cancellationToken);
        var title = await db.Credentials.AsNoTracking().Where(c => c.Id == attempt.CredentialId).Select(c => c.Title).SingleAsync(cancellationToken);
        var checkIns = await (
            from c in db.CheckIns.AsNoTracking()
            join p in db.People.AsNoTracking() on c.CoachId equals p.Id
            where c.AttemptId == attempt.Id
            orderby c.RequestedAt descending
            select new CheckInEntry(c, p.Name))
            .ToListAsync(cancellationToken);
        return new AttemptCheckIns(attempt.Id, title, attempt.Status, attempt.Plan is not null, await CoachesAsync(attempt, cancellationToken), checkIns);
    }

    public async Task<Guid> AskAsync(Actor actor, Guid attemptId, Guid? coachId, CheckInAbout about, string? question, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.OwnAsync(actor, attemptId, cancellationToken);
        if (!CanAsk(attempt.Status))
        {
            throw new RuleViolationException("Check-ins are for before formal submission; this attempt has moved past that.");
        }

        var coaches = await CoachesAsync(attempt, cancellationToken);
        if (coaches.Count == 0)
        {
            throw new RuleViolationException("No coach is assigned to you for this microcredential yet. Ask your principal.");
        }

        if (coachId is not { } coach || coaches.All(c => c.PersonId != coach))
        {
            throw InvalidInputException.For("CoachId", "Choose one of your coaches.");
        }

        var text = question?.Trim() ?? string.Empty;
        if (text.Length is 0 or > MaxText)
        {
            throw InvalidInputException.For("Question", $"Write what you would like your coach to look at (at most {MaxText} characters).");
        }

        if (about == CheckInAbout.Plan && attempt.Plan is null)
        {
            throw InvalidInputException.For("About", "Write your plan before asking for a check-in on it.");
        }

        if (await db.CheckIns.AnyAsync(c => c.AttemptId == attempt.Id && c.CoachId == coach && c.AnsweredAt == null, cancellationToken))
        {
            throw new RuleViolationException("This coach has not answered your last check-in yet. You can ask again once they have.");
        }

        var checkIn = new CheckIn
        {
            Id = Guid.NewGuid(), TenantId = actor.TenantId, AttemptId = attempt.Id, TeacherId = attempt.TeacherId, CoachId = coach,
            About = about, Question = text, RequestedAt = time.GetUtcNow(),
        };
        db.CheckIns.Add(checkIn);
        await db.SaveChangesAsync(cancellationToken);
        return checkIn.Id;
    }

    private async Task<IReadOnlyList<CoachOption>> CoachesAsync(Attempt attempt, CancellationToken cancellationToken)
    {
        var coaches = await (
            from a in ManageCoaches.For(db, attempt)
            join p in db.People.AsNoTracking() on a.CoachId equals p.Id
            select new CoachOption(p.Id, p.Name))
            .ToListAsync(cancellationToken);
        return coaches.DistinctBy(c => c.PersonId).OrderBy(c => c.Name, StringComparer.CurrentCulture).ToList();
    }
}
