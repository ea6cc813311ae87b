using LtiMicroCred.Access;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Catalog;

public sealed record SkillTag(string Framework, string Code, string Name);

/// <summary>One offering of a credential as the person can take it: where it is offered, when, and what it earns.</summary>
public sealed record OfferTerms(Guid OfferingId, string? SchoolName, DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt, Incentive Incentive);

public sealed record OfferedCredential(
    Guid Id,
    string Key,
    string Title,
    string? Summary,
    string Competency,
    IReadOnlyList<SkillTag> Skills,
    IReadOnlyList<OfferTerms> Offers,
    bool Prerequisite);

public enum CatalogGroupKind
{
    Stack,
    Pathway,
    Ungrouped,
}

public sealed record PathwayRules(int MinimumCount, int CommitteeSize, PathwayReward Reward, string? RewardDetail);

public sealed record CatalogGroup(CatalogGroupKind Kind, string? Key, string Title, string? Description, PathwayRules? Pathway, IReadOnlyList<OfferedCredential> Credentials);

public sealed record CatalogView(IReadOnlyList<CatalogGroup> Groups)
{
    public int CredentialCount => Groups.SelectMany(g => g.Credentials).Select(c => c.Id).Distinct().Count();
}

/// <summary>
/// The credentials a person can choose: offered by an active offering that is district-wide or at one of their
/// schools, whose window has not closed, and not retired; grouped by stack and pathway (a credential in both shows in
/// both), the rest last.
/// </summary>
public sealed class BrowseCatalog(AppDbContext db, TimeProvider timeProvider)
{
    public async Task<CatalogView> HandleAsync(Actor actor, CancellationToken cancellationToken)
    {
        var reader = new OfferedCatalogReader(db, actor, timeProvider.GetUtcNow());
        var offers = await reader.OffersAsync(credentialId: null, cancellationToken);
        var offered = offers.Keys.ToList();
        var credentials = await db.Credentials.AsNoTracking()
            .Where(c => c.TenantId == actor.TenantId && !c.Retired && c.CurrentVersionId != null && offered.Contains(c.Id))
            .ToListAsync(cancellationToken);
        var versionIds = credentials.Select(c => c.CurrentVersionId!.Value).ToList();
        var competencies = (await db.CredentialVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).ToListAsync(cancellationToken))
            .ToDictionary(v => v.Id, v => v.Definition.Competency);
        var skills = await OfferedCatalogReader.SkillsAsync(db, versionIds, cancellationToken);

        OfferedCredential View(Credential c, bool prerequisite) => new(c.Id, c.Key, c.Title, c.Summary, competencies[c.CurrentVersionId!.Value],
            skills[c.CurrentVersionId.Value], offers[c.Id], prerequisite);
        var byId = credentials.ToDictionary(c => c.Id);
        var ids = byId.Keys.ToList();

        var groups = new List<CatalogGroup>();
        var stacks = await db.Stacks.AsNoTracking().Include(s => s.Entries)
            .Where(s => s.TenantId == actor.TenantId && s.Entries.Any(e => ids.Contains(e.CredentialId)))
            .ToListAsync(cancellationToken);
        groups.AddRange(stacks.OrderBy(s => s.Title, StringComparer.Ordinal).Select(s => new CatalogGroup(CatalogGroupKind.Stack, s.Key, s.Title, s.Description, null,
            [.. s.Entries.OrderBy(e => e.Position).Where(e => byId.ContainsKey(e.CredentialId)).Select(e => View(byId[e.CredentialId], false))])));

        var pathways = await db.Pathways.AsNoTracking().Include(p => p.Entries)
            .Where(p => p.TenantId == actor.TenantId && p.Entries.Any(e => ids.Contains(e.CredentialId)))
            .ToListAsync(cancellationToken);
        groups.AddRange(pathways.OrderBy(p => p.Title, StringComparer.Ordinal).Select(p => new CatalogGroup(CatalogGroupKind.Pathway, p.Key, p.Title, p.Description,
            new PathwayRules(p.MinimumCount, p.CommitteeSize, p.Reward, p.RewardDetail),
            [.. p.Entries.Where(e => byId.ContainsKey(e.CredentialId)).Select(e => View(byId[e.CredentialId], e.Prerequisite))
                .OrderByDescending(c => c.Prerequisite).ThenBy(c => c.Title, StringComparer.Ordinal)])));

        var grouped = stacks.SelectMany(s => s.Entries.Select(e => e.CredentialId))
            .Concat(pathways.SelectMany(p => p.Entries.Select(e => e.CredentialId))).ToHashSet();
        var rest = credentials.Where(c => !grouped.Contains(c.Id)).OrderBy(c => c.Title, StringComparer.Ordinal).Select(c => View(c, false)).ToList();
        if (rest.Count > 0)
        {
            groups.Add(new CatalogGroup(CatalogGroupKind.Ungrouped, null, "More microcredentials", null, null, rest));
        }

        return new CatalogView(groups);
    }
}

/// <summary>The rules of what is offered to whom, shared by the catalog's list and its detail page.</summary>
internal sealed class OfferedCatalogReader(AppDbContext db, Actor actor, DateTimeOffset now)
{
    /// <summary>The offerings the actor can take, by credential.</summary>
    public async Task<Dictionary<Guid, IReadOnlyList<OfferTerms>>> OffersAsync(Guid? credentialId, CancellationToken cancellationToken)
    {
        var schools = actor.Schools.ToList();
        var offerings = await db.Offerings.AsNoTracking()
            .Where(o => o.TenantId == actor.TenantId && o.Active && (o.SchoolId == null || schools.Contains(o.SchoolId.Value)))
            .Where(o => credentialId == null || o.CredentialId == credentialId)
            .ToListAsync(cancellationToken);
        var schoolNames = await db.Schools.AsNoTracking().Where(s => s.TenantId == actor.TenantId && schools.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);

        // The window is compared here, not in SQL: SQLite cannot compare date-time offsets.
        return offerings.Where(o => o.WindowClosesAt is null || o.WindowClosesAt > now)
            .GroupBy(o => o.CredentialId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<OfferTerms>)[.. g
                .OrderBy(o => o.SchoolId is null ? 0 : 1)
                .Select(o => new OfferTerms(o.Id, o.SchoolId is { } id ? schoolNames.GetValueOrDefault(id) : null, o.WindowOpensAt, o.WindowClosesAt, o.Incentive))]);
    }

    public static async Task<Dictionary<Guid, IReadOnlyList<SkillTag>>> SkillsAsync(AppDbContext db, IReadOnlyCollection<Guid> versionIds, CancellationToken cancellationToken)
    {
        var rows = await (from a in db.SkillAlignments
                          join s in db.Skills on a.SkillId equals s.Id
                          join f in db.SkillFrameworks on s.FrameworkId equals f.Id
                          where versionIds.Contains(a.CredentialVersionId)
                          select new { a.CredentialVersionId, Framework = f.Name, s.Code, s.Name })
            .AsNoTracking().ToListAsync(cancellationToken);
        return versionIds.ToDictionary(id => id, id => (IReadOnlyList<SkillTag>)[.. rows.Where(r => r.CredentialVersionId == id)
            .OrderBy(r => r.Framework, StringComparer.Ordinal).ThenBy(r => r.Code, StringComparer.Ordinal)
            .Select(r => new SkillTag(r.Framework, r.Code, r.Name))]);
    }
}
