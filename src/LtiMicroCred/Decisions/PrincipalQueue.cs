using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Persistence;
using LtiMicroCred.Reviews;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Decisions;

public enum QueueSection
{
    Plans,
    Ready,
    Overdue,
    Extensions,
    Pathways,
}

public sealed record QueuePlan(Guid AttemptId, string TeacherName, string CredentialTitle, DateTimeOffset Since, string? Alignment);

public sealed record QueueReady(Guid AttemptId, string TeacherName, string CredentialTitle, int AttemptNumber, DateTimeOffset Since, bool ReviewsConflict, int SubmittedReviews, int EvidenceCount);

public sealed record QueueOverdueReview(Guid ReviewId, Guid AttemptId, string ReviewerName, string TeacherName, string CredentialTitle, DateTimeOffset DueAt);

public sealed record QueueExtension(Guid RequestId, Guid AttemptId, string TeacherName, string CredentialTitle, string Reason, DateTimeOffset WantedDueAt, DateTimeOffset Since);

public sealed record QueuePathwayReview(Guid ReviewId, string TeacherName, string PathwayTitle, DateTimeOffset Since, int Votes, int CommitteeSize);

/// <summary>One section of the queue: the oldest entries and how many there are in all.</summary>
public sealed record QueueList<T>(IReadOnlyList<T> Items, int Total)
{
    public bool HasMore => Total > Items.Count;
}

public sealed record QueueSchool(Guid Id, string Name);

/// <summary>The principal's queue: five short lists, each oldest first.</summary>
public sealed record QueueView(
    DateTimeOffset Now,
    QueueList<QueuePlan> Plans,
    QueueList<QueueReady> Ready,
    QueueList<QueueOverdueReview> Overdue,
    QueueList<QueueExtension> Extensions,
    QueueList<QueuePathwayReview> Pathways,
    IReadOnlyList<QueueSchool> Schools,
    Guid? SchoolFilter);

/// <summary>
/// The principal's queue for the schools they lead (a district admin: every school, or one chosen): plans to approve,
/// attempts ready for decision, overdue peer reviews, extension requests and pathway final reviews. Built for large
/// districts: each list is one indexed query filtered by school and status, ordered by waiting time, cut at the page's
/// length and projected to what the page shows, plus one count; nothing is read per row.
/// </summary>
public sealed class PrincipalQueue(AppDbContext db, TimeProvider time)
{
    public const int ShortLength = 10;
    public const int LongLength = 200;

    public async Task<QueueView> LoadAsync(Actor actor, Guid? schoolFilter, QueueSection? showAll, CancellationToken cancellationToken)
    {
        if (!actor.IsDistrictAdmin && actor.PrincipalOf.Count == 0)
        {
            throw new ForbiddenException("Only principals and district administrators have an approval queue.");
        }

        if (schoolFilter is { } chosen && !actor.LeadsSchool(chosen))
        {
            throw new ForbiddenException("You can only see the queue of the schools you lead.");
        }

        var tenant = actor.TenantId;
        // Null: every school of the tenant (a district admin without a filter).
        List<Guid>? schools = schoolFilter is { } one ? [one] : actor.IsDistrictAdmin ? null : actor.PrincipalOf.ToList();
        var now = time.GetUtcNow();
        int Take(QueueSection section) => showAll == section ? LongLength : ShortLength;

        var attempts = db.Attempts.AsNoTracking().Where(a => a.TenantId == tenant);
        if (schools is not null)
        {
            attempts = attempts.Where(a => a.SchoolId != null && schools.Contains(a.SchoolId.Value));
        }

        // Plans to approve.
        var plans = attempts.Where(a => a.Status == AttemptStatus.PlanSubmitted);
        var planRows = await (
            from a in plans
            orderby a.UpdatedAt
            select new
            {
                a.Id,
                Teacher = db.People.Where(p => p.Id == a.TeacherId).Select(p => p.Name).First(),
                Title = db.Credentials.Where(c => c.Id == a.CredentialId).Select(c => c.Title).First(),
                a.UpdatedAt,
                a.Plan,
            }).Take(Take(QueueSection.Plans)).ToListAsync(cancellationToken);
        var planCount = await plans.CountAsync(cancellationToken);

        // Ready for decision. One ordered read per status, merged here: each walks the (tenant or school, status, ready
        // time) index and stops after a page, where one read over both statuses sorted every ready attempt of the district.
        var ready = attempts.Where(a => (a.Status == AttemptStatus.Submitted || a.Status == AttemptStatus.InReview) && a.ReadyForDecisionAt != null);
        async Task<List<QueueReady>> ReadyPageAsync(AttemptStatus status) => await (
            from a in attempts
            where a.Status == status && a.ReadyForDecisionAt != null
            orderby a.ReadyForDecisionAt
            select new QueueReady(
                a.Id,
                db.People.Where(p => p.Id == a.TeacherId).Select(p => p.Name).First(),
                db.Credentials.Where(c => c.Id == a.CredentialId).Select(c => c.Title).First(),
                a.Number,
                a.ReadyForDecisionAt!.Value,
                a.ReviewsConflict,
                db.ReviewAssignments.Count(r => r.AttemptId == a.Id && r.Status == ReviewStatus.Submitted),
                db.EvidenceItems.Count(e => e.AttemptId == a.Id)))
            .Take(Take(QueueSection.Ready)).ToListAsync(cancellationToken);
        var readyRows = (await ReadyPageAsync(AttemptStatus.Submitted)).Concat(await ReadyPageAsync(AttemptStatus.InReview))
            .OrderBy(r => r.Since).Take(Take(QueueSection.Ready)).ToList();
        var readyCount = await ready.CountAsync(cancellationToken);

        // Overdue peer reviews, through the reviews' tenant, status and due-time index. Only a school filter needs their
        // attempts; a district admin's whole-district count reads the index alone (a join there cost 180 ms at 1.5
        // million reviews).
        var overdue = db.ReviewAssignments.AsNoTracking()
            .Where(r => r.TenantId == tenant && (r.Status == ReviewStatus.Allocated || r.Status == ReviewStatus.Draft) && r.DueAt < now);
        if (schools is not null)
        {
            overdue = from r in overdue join a in attempts on r.AttemptId equals a.Id select r;
        }

        // The page. For the whole district, one ordered read per open status (each stops after a page on the status and
        // due-time index), merged; for some schools, one read the planner starts from their attempts.
        var overdueIds = new List<(Guid Id, DateTimeOffset DueAt)>();
        foreach (var page in schools is null ? ReviewAllocator.Open.Select(status => overdue.Where(r => r.Status == status)) : [overdue])
        {
            overdueIds.AddRange((await page.OrderBy(r => r.DueAt).Take(Take(QueueSection.Overdue))
                .Select(r => new { r.Id, r.DueAt }).ToListAsync(cancellationToken)).Select(r => (r.Id, r.DueAt)));
        }

        var pageIds = overdueIds.OrderBy(r => r.DueAt).Take(Take(QueueSection.Overdue)).Select(r => r.Id).ToList();
        var overdueRows = (await (
            from r in db.ReviewAssignments.AsNoTracking().Where(r => pageIds.Contains(r.Id))
            join a in db.Attempts.AsNoTracking() on r.AttemptId equals a.Id
            select new
            {
                r.Id,
                AttemptId = a.Id,
                Reviewer = db.People.Where(p => p.Id == r.ReviewerId).Select(p => p.Name).First(),
                Teacher = db.People.Where(p => p.Id == a.TeacherId).Select(p => p.Name).First(),
                Title = db.Credentials.Where(c => c.Id == a.CredentialId).Select(c => c.Title).First(),
                r.DueAt,
            }).ToListAsync(cancellationToken)).OrderBy(r => r.DueAt).ToList();
        var overdueCount = await overdue.CountAsync(cancellationToken);

        // Extension requests (the request carries its school: no join to filter).
        var requests = db.ExtensionRequests.AsNoTracking().Where(r => r.TenantId == tenant && r.Status == ExtensionRequestStatus.Open);
        if (schools is not null)
        {
            requests = requests.Where(r => r.SchoolId != null && schools.Contains(r.SchoolId.Value));
        }

        var requestRows = await (
            from r in requests
            join a in db.Attempts on r.AttemptId equals a.Id
            orderby r.RequestedAt
            select new
            {
                r.Id,
                r.AttemptId,
                Teacher = db.People.Where(p => p.Id == r.TeacherId).Select(p => p.Name).First(),
                Title = db.Credentials.Where(c => c.Id == a.CredentialId).Select(c => c.Title).First(),
                r.Reason,
                r.WantedDueAt,
                r.RequestedAt,
            }).Take(Take(QueueSection.Extensions)).ToListAsync(cancellationToken);
        var requestCount = await requests.CountAsync(cancellationToken);

        // Pathway final reviews of the teachers of these schools.
        var reviews = db.PathwayReviews.AsNoTracking().Where(r => r.TenantId == tenant && r.Status == PathwayReviewStatus.Open);
        if (schools is not null)
        {
            reviews = reviews.Where(r => db.SchoolMemberships.Any(m => m.PersonId == r.TeacherId && schools.Contains(m.SchoolId)));
        }

        var reviewRows = await (
            from r in reviews
            join p in db.Pathways on r.PathwayId equals p.Id
            orderby r.RequestedAt
            select new
            {
                r.Id,
                Teacher = db.People.Where(t => t.Id == r.TeacherId).Select(t => t.Name).First(),
                p.Title,
                r.RequestedAt,
                Votes = db.PathwayReviewVotes.Count(v => v.ReviewId == r.Id),
                p.CommitteeSize,
            }).Take(Take(QueueSection.Pathways)).ToListAsync(cancellationToken);
        var reviewCount = await reviews.CountAsync(cancellationToken);

        var schoolList = await db.Schools.AsNoTracking().Where(s => s.TenantId == tenant).OrderBy(s => s.Name).Select(s => new QueueSchool(s.Id, s.Name)).ToListAsync(cancellationToken);
        if (!actor.IsDistrictAdmin)
        {
            schoolList = schoolList.Where(s => actor.PrincipalOf.Contains(s.Id)).ToList();
        }

        return new QueueView(
            now,
            new(planRows.Select(r => new QueuePlan(r.Id, r.Teacher, r.Title, r.UpdatedAt, r.Plan?.Alignment)).ToList(), planCount),
            new(readyRows, readyCount),
            new(overdueRows.Select(r => new QueueOverdueReview(r.Id, r.AttemptId, r.Reviewer, r.Teacher, r.Title, r.DueAt)).ToList(), overdueCount),
            new(requestRows.Select(r => new QueueExtension(r.Id, r.AttemptId, r.Teacher, r.Title, r.Reason, r.WantedDueAt, r.RequestedAt)).ToList(), requestCount),
            new(reviewRows.Select(r => new QueuePathwayReview(r.Id, r.Teacher, r.Title, r.RequestedAt, r.Votes, r.CommitteeSize)).ToList(), reviewCount),
            schoolList,
            schoolFilter);
    }
}

/// <summary>How long something has waited, in words ("waiting 6 days").</summary>
public static class Waiting
{
    public static string Describe(DateTimeOffset since, DateTimeOffset now)
    {
        var age = now - since;
        return age.TotalHours < 1 ? "waiting less than an hour"
            : age.TotalDays < 1 ? $"waiting {Plural((int)age.TotalHours, "hour")}"
            : $"waiting {Plural((int)age.TotalDays, "day")}";
    }

    public static string Overdue(DateTimeOffset dueAt, DateTimeOffset now)
    {
        var days = (int)(now - dueAt).TotalDays;
        return days < 1 ? "overdue since today" : $"{Plural(days, "day")} overdue";
    }

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
}
