using LtiMicroCred.Badges;
using LtiMicroCred.Catalog;
using LtiMicroCred.Decisions;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.People;
using Microsoft.EntityFrameworkCore;
using static LtiMicroCred.IntegrationTests.Decisions.DecisionSupport;

namespace LtiMicroCred.IntegrationTests.Badges;

/// <summary>
/// The real host with retired tool keys deleted at the next rotation (no grace period), so a test that rotates twice
/// sees a key that signed no badge deleted and one that signed a badge kept.
/// </summary>
public abstract class BadgeHost : ToolHost
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Lti:RetiredToolKeyGracePeriod"] = "00:00:00" };
}

public sealed class SqliteBadgeHost : BadgeHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());
}

public sealed class PostgresBadgeHost : BadgeHost
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgreSqlAsync();
}

internal static class BadgeSupport
{
    /// <summary>A submitted attempt of the teacher on the credential, awarded by the district admin; its badges.</summary>
    public static async Task<IReadOnlyList<IssuedBadge>> AwardAsync(ToolHost host, TestDistrict d, Person teacher, Guid credentialId)
    {
        var id = await SubmittedAsync(host, await d.ActorAsync(teacher), credentialId);
        var admin = await d.ActorAsync(d.Admin);
        var decisionId = await host.WithServiceAsync<DecideAttempt, Guid>(u => u.HandleAsync(admin, id, new DecisionInput(DecisionOutcome.Awarded, Levels(2), Feedback(null), null), None));
        var badges = await host.WithDbAsync(db => db.IssuedBadges.Where(b => b.DecisionId == decisionId).ToListAsync());
        return [.. badges.OrderBy(b => b.Kind)];
    }

    public static Task SetEmailAsync(ToolHost host, Person person, string? email) => host.WithDbAsync(db =>
        db.People.Where(p => p.Id == person.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Email, email)));

    /// <summary>A framework with two skills aligned to the district's credential version.</summary>
    public static Task<IReadOnlyList<Skill>> AlignSkillsAsync(ToolHost host, TestDistrict d) => host.WithDbAsync(async db =>
    {
        var framework = new SkillFramework { Id = Guid.NewGuid(), TenantId = d.TenantId, Key = "tls-" + Guid.NewGuid().ToString("N")[..6], Name = "Teacher Leader Standards" };
        var skills = new List<Skill>
        {
            new() { Id = Guid.NewGuid(), FrameworkId = framework.Id, Code = "TLS-3", Name = "Promoting professional learning" },
            new() { Id = Guid.NewGuid(), FrameworkId = framework.Id, Code = "TLS-4", Name = "Facilitating improvements in instruction" },
        };
        framework.Skills = skills;
        db.SkillFrameworks.Add(framework);
        db.SkillAlignments.AddRange(skills.Select(s => new SkillAlignment { CredentialVersionId = d.Version.Id, SkillId = s.Id }));
        await db.SaveChangesAsync();
        return (IReadOnlyList<Skill>)skills;
    });
}
