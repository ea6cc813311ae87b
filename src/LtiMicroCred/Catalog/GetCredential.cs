using LtiMicroCred.Access;
using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Catalog;

public sealed record CredentialDetail(
    Guid Id,
    string Key,
    string Title,
    string? Summary,
    bool Retired,
    int VersionNumber,
    CredentialDefinition Definition,
    IReadOnlyList<SkillTag> Skills,
    IReadOnlyList<OfferTerms> Offers,
    IReadOnlyList<string> StackTitles,
    IReadOnlyList<string> PathwayTitles)
{
    /// <summary>Whether the person can start it now: it is offered to them and not retired.</summary>
    public bool CanStart => Offers.Count > 0 && !Retired;
}

/// <summary>
/// One credential's current version with its six components. A credential that is not offered to the person is
/// "not found", exactly like one of another district (district administrators see every credential of theirs).
/// </summary>
public sealed class GetCredential(AppDbContext db, TimeProvider timeProvider)
{
    public async Task<CredentialDetail> HandleAsync(Actor actor, string key, CancellationToken cancellationToken)
    {
        var credential = await db.Credentials.AsNoTracking().SingleOrDefaultAsync(c => c.TenantId == actor.TenantId && c.Key == key, cancellationToken);
        var offers = credential is null
            ? []
            : (await new OfferedCatalogReader(db, actor, timeProvider.GetUtcNow()).OffersAsync(credential.Id, cancellationToken)).GetValueOrDefault(credential.Id) ?? [];
        var version = credential?.CurrentVersionId is { } versionId
            ? await db.CredentialVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId, cancellationToken)
            : null;
        if (credential is null || version is null || (!actor.IsDistrictAdmin && (credential.Retired || offers.Count == 0)))
        {
            throw new NotFoundException("This microcredential is not in your district's catalog.");
        }

        var skills = await OfferedCatalogReader.SkillsAsync(db, [version.Id], cancellationToken);
        var stacks = await db.Stacks.AsNoTracking().Where(s => s.TenantId == actor.TenantId && s.Entries.Any(e => e.CredentialId == credential.Id))
            .Select(s => s.Title).ToListAsync(cancellationToken);
        var pathways = await db.Pathways.AsNoTracking().Where(p => p.TenantId == actor.TenantId && p.Entries.Any(e => e.CredentialId == credential.Id))
            .Select(p => p.Title).ToListAsync(cancellationToken);
        return new CredentialDetail(credential.Id, credential.Key, credential.Title, credential.Summary, credential.Retired, version.Number,
            version.Definition, skills[version.Id], offers, [.. stacks.Order(StringComparer.Ordinal)], [.. pathways.Order(StringComparer.Ordinal)]);
    }
}
