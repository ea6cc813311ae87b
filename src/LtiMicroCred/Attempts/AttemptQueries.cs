using LtiMicroCred.Access;
using LtiMicroCred.Catalog;
using LtiMicroCred.Evidence;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Attempts;

public sealed record AttemptSummary(Guid Id, string CredentialTitle, AttemptStatus Status, int Number, DateTimeOffset? DueAt, DateTimeOffset UpdatedAt);

public sealed record CriterionState(SubmissionCriterion Criterion, IReadOnlyList<EvidenceItem> Evidence, string? ReflectionHtml, bool Ready);

public sealed record AttemptHistoryEntry(AttemptStatus From, AttemptStatus To, string ActorName, DateTimeOffset At, string? Note);

/// <summary>Everything the attempt page shows: status, each criterion with its evidence, feedback, next step, due dates.</summary>
public sealed record AttemptView(
    Attempt Attempt,
    string TeacherName,
    string CredentialTitle,
    string CredentialKey,
    CredentialDefinition Definition,
    Offering Offering,
    DateTimeOffset? DueAt,
    IReadOnlyList<CriterionState> Criteria,
    IReadOnlyList<AttemptHistoryEntry> History,
    bool RequiresPlanApproval,
    bool IsTeacher,
    bool IsLeader)
{
    /// <summary>The LMS assignment serving each mapped criterion (criterion key to assignment name).</summary>
    public IReadOnlyDictionary<string, string> MappedCriteria { get; init; } = new Dictionary<string, string>();

    /// <summary>The latest pull of LMS submissions, if any.</summary>
    public EvidencePull? Pull { get; init; }

    public bool CanPull => IsTeacher && Attempt.Status == AttemptStatus.InProgress && MappedCriteria.Count > 0;

    public bool CanEditPlan => IsTeacher && Attempt.Status is AttemptStatus.Selected or AttemptStatus.Planning;

    public bool CanEditEvidence => IsTeacher && Attempt.Status == AttemptStatus.InProgress;

    public bool CanStartWork => IsTeacher && (Attempt.Status == AttemptStatus.PlanApproved
        || (!RequiresPlanApproval && Attempt.Status is AttemptStatus.Selected or AttemptStatus.Planning));

    /// <summary>What the teacher should do next, in one sentence.</summary>
    public string NextStep => Attempt.Status switch
    {
        AttemptStatus.Selected or AttemptStatus.Planning when RequiresPlanApproval => "Write your plan and send it for approval.",
        AttemptStatus.Selected or AttemptStatus.Planning => "Write your plan if you wish, then start gathering evidence.",
        AttemptStatus.PlanSubmitted => "Your plan is with your principal for approval.",
        AttemptStatus.PlanApproved => "Your plan is approved: start gathering evidence.",
        AttemptStatus.PlanDeclined => "Your plan was declined. Read the comment, and talk with your principal before choosing again.",
        AttemptStatus.InProgress when Criteria.All(c => c.Ready) => "Every criterion has evidence: submit for review when you are ready.",
        AttemptStatus.InProgress => $"Add evidence for {Criteria.Count(c => !c.Ready)} more criterion(s), then submit for review.",
        AttemptStatus.Submitted or AttemptStatus.InReview => "Your evidence is being reviewed.",
        AttemptStatus.Awarded => "Congratulations: this microcredential is awarded.",
        AttemptStatus.NotYet => "Not yet: read the feedback, improve your evidence and resubmit.",
        AttemptStatus.Resubmitted => "This attempt was resubmitted; see the newer attempt.",
        _ => "This attempt is closed.",
    };
}

public sealed record PlanQueueEntry(Guid AttemptId, string TeacherName, string CredentialTitle, AttemptStatus Status, DateTimeOffset UpdatedAt, DateTimeOffset? DueAt, AttemptPlan? Plan);

/// <summary>The reads behind the teacher's and the principal's attempt pages, each under its authorization rule.</summary>
public sealed class AttemptQueries(AppDbContext db, EvidenceAccess access)
{
    public async Task<IReadOnlyList<AttemptSummary>> MineAsync(Actor actor, CancellationToken cancellationToken)
    {
        var rows = await (
            from a in db.Attempts.AsNoTracking()
            join c in db.Credentials.AsNoTracking() on a.CredentialId equals c.Id
            join o in db.Offerings.AsNoTracking() on a.OfferingId equals o.Id
            where a.TenantId == actor.TenantId && a.TeacherId == actor.PersonId
            select new { a.Id, c.Title, a.Status, a.Number, Due = a.ExtendedDueAt ?? o.WindowClosesAt, a.UpdatedAt })
            .ToListAsync(cancellationToken);
        return rows.OrderByDescending(r => r.UpdatedAt).Select(r => new AttemptSummary(r.Id, r.Title, r.Status, r.Number, r.Due, r.UpdatedAt)).ToList();
    }

    public async Task<AttemptView> DetailAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await access.AttemptAsync(actor, attemptId, cancellationToken);
        var credential = await db.Credentials.AsNoTracking().SingleAsync(c => c.Id == attempt.CredentialId, cancellationToken);
        var definition = await db.CredentialVersions.AsNoTracking().Where(v => v.Id == attempt.CredentialVersionId).Select(v => v.Definition).SingleAsync(cancellationToken);
        var offering = await db.Offerings.AsNoTracking().SingleAsync(o => o.Id == attempt.OfferingId, cancellationToken);
        var evidence = await db.EvidenceItems.AsNoTracking().Where(e => e.AttemptId == attempt.Id).ToListAsync(cancellationToken);
        var reflections = await db.Reflections.AsNoTracking().Where(r => r.AttemptId == attempt.Id).ToDictionaryAsync(r => r.CriterionKey, r => r.Html, cancellationToken);
        var teacher = await db.People.AsNoTracking().Where(p => p.Id == attempt.TeacherId).Select(p => p.Name).SingleAsync(cancellationToken);
        var events = await (
            from e in db.AttemptEvents.AsNoTracking()
            join p in db.People.AsNoTracking() on e.ActorId equals p.Id
            where e.AttemptId == attempt.Id
            select new { e.Id, e.From, e.To, p.Name, e.At, e.Note })
            .ToListAsync(cancellationToken);
        var criteria = definition.Criteria.Select(c =>
        {
            var items = evidence.Where(e => e.CriterionKey == c.Key).OrderBy(e => e.AddedAt).ToList();
            var reflection = reflections.GetValueOrDefault(c.Key);
            var counted = items.Count(e => e.CountsAsEvidence);
            var ready = c.Kind == EvidenceKind.Reflection ? counted > 0 || reflection is not null : counted > 0;
            return new CriterionState(c, items, reflection, ready);
        }).ToList();
        var mapped = await db.AssignmentMappings.AsNoTracking().Where(m => m.CredentialVersionId == attempt.CredentialVersionId)
            .ToDictionaryAsync(m => m.CriterionKey, m => m.AssignmentName ?? "LMS assignment " + m.AssignmentId, cancellationToken);
        var pull = await db.EvidencePulls.AsNoTracking().SingleOrDefaultAsync(p => p.AttemptId == attempt.Id, cancellationToken);
        return new AttemptView(attempt, teacher, credential.Title, credential.Key, definition, offering, attempt.ExtendedDueAt ?? offering.WindowClosesAt, criteria,
            events.OrderBy(e => e.Id).Select(e => new AttemptHistoryEntry(e.From, e.To, e.Name, e.At, e.Note)).ToList(),
            await ProgrammeRules.RequirePlanApprovalAsync(db, actor.TenantId, cancellationToken),
            attempt.TeacherId == actor.PersonId, actor.LeadsSchool(attempt.SchoolId))
        {
            MappedCriteria = mapped,
            Pull = pull,
        };
    }

    /// <summary>Where the attempt's latest LMS pull stands, for the page's status poll: one access check and one read.</summary>
    public async Task<EvidencePull?> PullAsync(Actor actor, Guid attemptId, CancellationToken cancellationToken)
    {
        await access.AttemptAsync(actor, attemptId, cancellationToken);
        return await db.EvidencePulls.AsNoTracking().SingleOrDefaultAsync(p => p.AttemptId == attemptId, cancellationToken);
    }

    /// <summary>
    /// The principal's short queue: plans awaiting a decision first, then open attempts (for extensions), in the
    /// schools they lead (a district admin: the whole tenant).
    /// </summary>
    public async Task<IReadOnlyList<PlanQueueEntry>> LeaderQueueAsync(Actor actor, CancellationToken cancellationToken)
    {
        if (!actor.IsDistrictAdmin && actor.PrincipalOf.Count == 0)
        {
            throw new ForbiddenException("Only principals and district administrators have an approval queue.");
        }

        var schools = actor.PrincipalOf.ToList();
        var open = new[] { AttemptStatus.PlanSubmitted, AttemptStatus.Selected, AttemptStatus.Planning, AttemptStatus.PlanApproved, AttemptStatus.InProgress };
        var rows = await (
            from a in db.Attempts.AsNoTracking()
            join c in db.Credentials.AsNoTracking() on a.CredentialId equals c.Id
            join p in db.People.AsNoTracking() on a.TeacherId equals p.Id
            join o in db.Offerings.AsNoTracking() on a.OfferingId equals o.Id
            where a.TenantId == actor.TenantId && open.Contains(a.Status)
                && (actor.IsDistrictAdmin || (a.SchoolId != null && schools.Contains(a.SchoolId.Value)))
            orderby a.UpdatedAt
            select new { a.Id, p.Name, c.Title, a.Status, a.UpdatedAt, Due = a.ExtendedDueAt ?? o.WindowClosesAt, a.Plan })
            .Take(500)
            .ToListAsync(cancellationToken);
        return rows
            .OrderBy(r => r.Status == AttemptStatus.PlanSubmitted ? 0 : 1).ThenBy(r => r.UpdatedAt)
            .Select(r => new PlanQueueEntry(r.Id, r.Name, r.Title, r.Status, r.UpdatedAt, r.Due, r.Plan))
            .ToList();
    }
}
