using System.Text;
using LtiMicroCred.Access;
using LtiMicroCred.Attempts;
using LtiMicroCred.Catalog;
using LtiMicroCred.Evidence;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.People;
using LtiMicroCred.Reviews;

namespace LtiMicroCred.IntegrationTests.Decisions;

/// <summary>Setup for decision tests: submitted attempts through the real use cases, reviews written as the review issue would.</summary>
internal static class DecisionSupport
{
    public static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A teacher's attempt taken to "submitted" through the real use cases (no plan approval).</summary>
    public static async Task<Guid> SubmittedAsync(ToolHost host, Actor teacher, Guid credentialId)
    {
        var id = await host.WithServiceAsync<StartAttempt, Guid>(u => u.HandleAsync(teacher, credentialId, None));
        await Use<StartWork>(host, u => u.HandleAsync(teacher, id, None));
        await AddEvidenceAsync(host, teacher, id);
        await Use<SubmitForReview>(host, u => u.HandleAsync(teacher, id, None));
        return id;
    }

    public static async Task AddEvidenceAsync(ToolHost host, Actor teacher, Guid id)
    {
        await Use<AddDirectEvidence>(host, u => u.HandleAsync(teacher, id, new FileEvidence("sample", "Exit tickets", "sample.pdf", "application/pdf", new MemoryStream(Encoding.UTF8.GetBytes("%PDF-1.7 " + id))), None));
        await Use<AddDirectEvidence>(host, u => u.HandleAsync(teacher, id, new VideoEvidence("video", "Lesson", "https://video.example/v/1", 8), None));
        await Use<SaveReflection>(host, u => u.HandleAsync(teacher, id, "reflection", "<p>What I learned.</p>", None));
    }

    /// <summary>A person of the district with the given roles (at a school, or district-wide).</summary>
    public static Task<Person> AddPersonAsync(ToolHost host, TestDistrict d, string name, Guid? schoolId, ProductRoles roles) =>
        host.WithDbAsync(async db =>
        {
            var person = new Person
            {
                Id = Guid.NewGuid(), TenantId = d.TenantId, PlatformId = d.PlatformId, Subject = Guid.NewGuid().ToString("N"), Name = name,
                CreatedAt = DateTimeOffset.UtcNow, LastLaunchAt = DateTimeOffset.UtcNow,
            };
            db.People.Add(person);
            if (schoolId is { } school)
            {
                db.SchoolMemberships.Add(new Schools.SchoolMembership { PersonId = person.Id, SchoolId = school, Roles = roles, Source = Schools.MembershipSource.Administrator, UpdatedAt = DateTimeOffset.UtcNow });
            }
            else
            {
                person.AssignedRoles = roles;
            }

            await db.SaveChangesAsync();
            return person;
        });

    /// <summary>A review row as the peer review issue writes it.</summary>
    public static Task<Guid> AddReviewAsync(ToolHost host, Guid tenantId, Guid attemptId, Guid reviewerId, ReviewStatus status, int? level, string? feedback = null, DateTimeOffset? dueAt = null) =>
        host.WithDbAsync(async db =>
        {
            var review = new ReviewAssignment
            {
                Id = Guid.NewGuid(), TenantId = tenantId, AttemptId = attemptId, ReviewerId = reviewerId, Status = status,
                AllocatedAt = DateTimeOffset.UtcNow.AddDays(-8), DueAt = dueAt ?? DateTimeOffset.UtcNow.AddDays(2),
                Scores = level is { } l ? [new CriterionScore("analysis", l, feedback)] : [],
                Outcome = status == ReviewStatus.Submitted ? (level >= 2 ? ReviewOutcome.Pass : ReviewOutcome.NotYet) : null,
                SubmittedAt = status == ReviewStatus.Submitted ? DateTimeOffset.UtcNow.AddDays(-1) : null,
                Revision = Guid.NewGuid(),
            };
            db.ReviewAssignments.Add(review);
            await db.SaveChangesAsync();
            return review.Id;
        });

    public static Task Use<T>(ToolHost host, Func<T, Task> action) where T : notnull => host.WithServiceAsync<T, int>(async u =>
    {
        await action(u);
        return 0;
    });

    public static Dictionary<string, int?> Levels(int analysis) => new() { ["analysis"] = analysis };

    public static Dictionary<string, string?> Feedback(string? analysis) => new() { ["analysis"] = analysis };

    /// <summary>A pathway of the district over the given credentials.</summary>
    public static Task<Pathway> AddPathwayAsync(ToolHost host, TestDistrict d, int minimumCount, int committeeSize, Guid? prerequisite, params Guid[] credentials) =>
        host.WithDbAsync(async db =>
        {
            var pathway = new Pathway
            {
                Id = Guid.NewGuid(), TenantId = d.TenantId, Key = "leader-" + Guid.NewGuid().ToString("N")[..6], Title = "Teacher leader", MinimumCount = minimumCount,
                CommitteeSize = committeeSize, Reward = PathwayReward.SalaryStep, RewardDetail = "5 %",
            };
            if (prerequisite is { } p)
            {
                pathway.Entries.Add(new PathwayEntry { PathwayId = pathway.Id, CredentialId = p, Prerequisite = true });
            }

            pathway.Entries.AddRange(credentials.Select(c => new PathwayEntry { PathwayId = pathway.Id, CredentialId = c }));
            db.Pathways.Add(pathway);
            await db.SaveChangesAsync();
            return pathway;
        });
}
