using LtiMicroCred.Access;
using LtiMicroCred.Catalog;
using LtiMicroCred.People;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Attempts;

/// <summary>
/// A teacher selects a credential their district or school offers and starts an attempt on its current version.
/// One open attempt per credential; a credential already awarded is not started again.
/// </summary>
public sealed class StartAttempt(AppDbContext db, AttemptLifecycle lifecycle)
{
    public async Task<Guid> HandleAsync(Actor actor, Guid credentialId, CancellationToken cancellationToken)
    {
        if (!actor.Has(ProductRoles.Teacher))
        {
            throw new ForbiddenException("Only teachers can start a microcredential.");
        }

        var credential = await db.Credentials.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Id == credentialId && c.TenantId == actor.TenantId && !c.Retired, cancellationToken)
            ?? throw new NotFoundException("This microcredential is not in your district's catalog.");
        var offering = await OfferingFor(actor, credentialId).FirstOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("This microcredential is not offered at your school.");
        if (credential.CurrentVersionId is not { } versionId)
        {
            throw new RuleViolationException("This microcredential has no published version yet.");
        }

        var earlier = await db.Attempts.AsNoTracking()
            .Where(a => a.TenantId == actor.TenantId && a.TeacherId == actor.PersonId && a.CredentialId == credentialId)
            .Select(a => a.Status)
            .ToListAsync(cancellationToken);
        if (earlier.Contains(AttemptStatus.Awarded))
        {
            throw new RuleViolationException("You have already earned this microcredential.");
        }

        if (earlier.Any(s => !AttemptStateMachine.IsClosed(s)))
        {
            throw new RuleViolationException("You already have an attempt at this microcredential in progress.");
        }

        if (earlier.Contains(AttemptStatus.NotYet))
        {
            throw new RuleViolationException("Your last attempt was marked \"not yet\": resubmit it from that attempt's page, so its history is kept.");
        }

        var attempt = new Attempt
        {
            Id = Guid.NewGuid(),
            TenantId = actor.TenantId,
            TeacherId = actor.PersonId,
            CredentialId = credentialId,
            CredentialVersionId = versionId,
            OfferingId = offering.Id,
            SchoolId = offering.SchoolId ?? SchoolOf(actor),
            Status = AttemptStatus.Selected,
            CreatedAt = lifecycle.Now,
            UpdatedAt = lifecycle.Now,
            Revision = Guid.NewGuid(),
        };
        db.Attempts.Add(attempt);
        db.AttemptEvents.Add(new AttemptEvent { AttemptId = attempt.Id, From = AttemptStatus.Selected, To = AttemptStatus.Selected, ActorId = actor.PersonId, At = lifecycle.Now, Note = "Selected" });
        await lifecycle.SaveAsync(cancellationToken);
        return attempt.Id;
    }

    /// <summary>The offerings open to the actor for a credential: the school's own first, then the district's.</summary>
    private IQueryable<Offering> OfferingFor(Actor actor, Guid credentialId)
    {
        var schools = actor.Schools.ToList();
        return db.Offerings.AsNoTracking()
            .Where(o => o.TenantId == actor.TenantId && o.CredentialId == credentialId && o.Active
                && (o.SchoolId == null || schools.Contains(o.SchoolId.Value)))
            .OrderBy(o => o.SchoolId == null);
    }

    /// <summary>The school a district-wide attempt counts for: the teacher's school when they have exactly one.</summary>
    private static Guid? SchoolOf(Actor actor) => actor.Schools.Count == 1 ? actor.Schools.Single() : actor.Schools.Order().Cast<Guid?>().FirstOrDefault();
}
