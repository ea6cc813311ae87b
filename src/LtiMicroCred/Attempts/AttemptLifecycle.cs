using LtiMicroCred.Access;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Attempts;

/// <summary>
/// Loading an attempt for someone, and moving it: the two things every attempt use case does, done one way. Another
/// tenant's attempt is "not found" (its existence is not revealed); one in the same tenant that is not the actor's to
/// act on is "not allowed".
/// </summary>
public sealed class AttemptLifecycle(AppDbContext db, TimeProvider time)
{
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>The actor's own attempt (the earner acting on it).</summary>
    public async Task<Attempt> OwnAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await FindAsync(actor, attemptId, cancellationToken);
        return attempt.TeacherId == actor.PersonId ? attempt : throw new ForbiddenException("Only the teacher who started this attempt can do that.");
    }

    /// <summary>An attempt of a school the actor leads (its principal, or a district admin).</summary>
    public async Task<Attempt> LedAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await FindAsync(actor, attemptId, cancellationToken);
        return actor.LeadsSchool(attempt.SchoolId) ? attempt : throw new ForbiddenException("Only the principal of the teacher's school or a district administrator can do that.");
    }

    /// <summary>Changes the status through the state machine and records who did it and why, in the same save.</summary>
    public void Move(Attempt attempt, AttemptTrigger trigger, Actor actor, string? note = null)
    {
        var from = attempt.Status;
        attempt.Status = AttemptStateMachine.Next(from, trigger);
        Touch(attempt);
        db.AttemptEvents.Add(new AttemptEvent { AttemptId = attempt.Id, From = from, To = attempt.Status, ActorId = actor.PersonId, At = Now, Note = note });
    }

    /// <summary>Marks a change that is not a status change, so a concurrent change of the same attempt fails instead of being lost.</summary>
    public void Touch(Attempt attempt)
    {
        attempt.UpdatedAt = Now;
        attempt.Revision = Guid.NewGuid();
    }

    /// <summary>Saves, turning a lost race with someone acting on the same attempt into a sentence.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new RuleViolationException("Someone else changed this attempt at the same moment. Reload the page and try again.");
        }
    }

    private async Task<Attempt> FindAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken) =>
        await db.Attempts.SingleOrDefaultAsync(a => a.Id == attemptId && a.TenantId == actor.TenantId, cancellationToken)
        ?? throw new NotFoundException("There is no such attempt.");
}
