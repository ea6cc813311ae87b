using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Audit;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Decisions;

/// <summary>The teacher asks their principal for a later due date, with a reason; one open request at a time.</summary>
public sealed class RequestExtension(AppDbContext db, AttemptLifecycle lifecycle, AuditLog audit)
{
    public async Task<Guid> HandleAsync(Actor actor, Guid attemptId, DateTimeOffset wantedDueAt, string? reason, CancellationToken cancellationToken)
    {
        var attempt = await lifecycle.OwnAsync(actor, attemptId, cancellationToken);
        if (AttemptStateMachine.IsClosed(attempt.Status) || attempt.Status is AttemptStatus.Submitted or AttemptStatus.InReview)
        {
            throw new RuleViolationException($"This attempt is {AttemptStateMachine.Describe(attempt.Status).ToLowerInvariant()}, so its due date no longer matters.");
        }

        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 1000)
        {
            throw InvalidInputException.For("Reason", "Say why you need more time (up to 1000 characters).");
        }

        if (wantedDueAt <= lifecycle.Now)
        {
            throw InvalidInputException.For("WantedDate", "The date you ask for must be in the future.");
        }

        if (await db.ExtensionRequests.AnyAsync(r => r.AttemptId == attempt.Id && r.Status == ExtensionRequestStatus.Open, cancellationToken))
        {
            throw new RuleViolationException("You have already asked for an extension; your principal will answer it.");
        }

        var request = new ExtensionRequest
        {
            Id = Guid.NewGuid(),
            TenantId = attempt.TenantId,
            AttemptId = attempt.Id,
            SchoolId = attempt.SchoolId,
            TeacherId = attempt.TeacherId,
            Reason = reason,
            WantedDueAt = wantedDueAt,
            RequestedAt = lifecycle.Now,
            Status = ExtensionRequestStatus.Open,
        };
        db.ExtensionRequests.Add(request);
        audit.Record(actor, "extension.requested", "attempt", attempt.Id, $"Asked until {wantedDueAt:MMMM d, yyyy}");
        await db.SaveChangesAsync(cancellationToken);
        return request.Id;
    }
}

/// <summary>
/// The principal of the attempt's school (or a district admin) grants a request, through <see cref="GrantExtension"/>
/// (which checks its rules and records it), or declines it with a comment.
/// </summary>
public sealed class AnswerExtensionRequest(AppDbContext db, AttemptLifecycle lifecycle, GrantExtension grant, AuditLog audit)
{
    public async Task HandleAsync(Actor actor, Guid requestId, bool approve, string? comment, CancellationToken cancellationToken)
    {
        var request = await db.ExtensionRequests.SingleOrDefaultAsync(r => r.Id == requestId && r.TenantId == actor.TenantId, cancellationToken)
            ?? throw new NotFoundException("There is no such extension request.");
        var attempt = await lifecycle.LedAsync(actor, request.AttemptId, cancellationToken);
        if (request.Status != ExtensionRequestStatus.Open)
        {
            throw new RuleViolationException("This extension request has already been answered.");
        }

        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (comment is { Length: > 1000 })
        {
            throw InvalidInputException.For("Comment", "Keep the comment under 1000 characters.");
        }

        request.AnsweredBy = actor.PersonId;
        request.AnsweredAt = lifecycle.Now;
        request.Comment = comment;
        if (approve)
        {
            request.Status = ExtensionRequestStatus.Granted;
            // Saved by the grant, together with the extension and its audit entry.
            await grant.HandleAsync(actor, attempt.Id, request.WantedDueAt, request.Reason, cancellationToken);
            return;
        }

        if (comment is null)
        {
            throw InvalidInputException.For("Comment", "Say why the extension is declined, so the teacher can plan.");
        }

        request.Status = ExtensionRequestStatus.Declined;
        audit.Record(actor, "extension.declined", "attempt", attempt.Id, comment);
        lifecycle.Touch(attempt);
        await lifecycle.SaveAsync(cancellationToken);
    }
}
