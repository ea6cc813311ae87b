using LtiMicroCred.Persistence;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Catalog;

/// <summary>A district's whole catalog as tracked entities, loaded once per import (or export).</summary>
internal sealed class CatalogState
{
    public required List<SkillFramework> Frameworks { get; init; }

    public required List<Credential> Credentials { get; init; }

    public required List<CredentialVersion> Versions { get; init; }

    public required List<SkillAlignment> Alignments { get; init; }

    public required HashSet<Guid> VersionsInUse { get; init; }

    public required List<CredentialStack> Stacks { get; init; }

    public required List<Pathway> Pathways { get; init; }

    public required List<Offering> Offerings { get; init; }

    public required List<IncentiveBudget> Budgets { get; init; }

    public required List<Schools.School> Schools { get; init; }

    public ProgrammeSettings? Settings { get; init; }

    /// <summary>The credentials' peer review settings, by credential.</summary>
    public List<Reviews.ReviewPolicy> ReviewPolicies { get; init; } = [];

    public static async Task<CatalogState> LoadAsync(AppDbContext db, Guid tenantId, CancellationToken cancellationToken)
    {
        var credentials = await db.Credentials.Where(c => c.TenantId == tenantId).ToListAsync(cancellationToken);
        var credentialIds = credentials.Select(c => c.Id).ToList();
        var currentIds = credentials.Where(c => c.CurrentVersionId != null).Select(c => c.CurrentVersionId!.Value).ToList();
        return new CatalogState
        {
            Frameworks = await db.SkillFrameworks.Include(f => f.Skills).Where(f => f.TenantId == tenantId).ToListAsync(cancellationToken),
            Credentials = credentials,
            // Every version (for the next number), but only the current ones' definitions are compared.
            Versions = await db.CredentialVersions.Where(v => credentialIds.Contains(v.CredentialId)).ToListAsync(cancellationToken),
            Alignments = await db.SkillAlignments.Where(a => currentIds.Contains(a.CredentialVersionId)).ToListAsync(cancellationToken),
            VersionsInUse = (await db.Attempts.Where(a => a.TenantId == tenantId && currentIds.Contains(a.CredentialVersionId))
                .Select(a => a.CredentialVersionId).Distinct().ToListAsync(cancellationToken)).ToHashSet(),
            Stacks = await db.Stacks.Include(s => s.Entries).Where(s => s.TenantId == tenantId).ToListAsync(cancellationToken),
            Pathways = await db.Pathways.Include(p => p.Entries).Where(p => p.TenantId == tenantId).ToListAsync(cancellationToken),
            Offerings = await db.Offerings.Where(o => o.TenantId == tenantId).ToListAsync(cancellationToken),
            Budgets = await db.IncentiveBudgets.Where(b => b.TenantId == tenantId).ToListAsync(cancellationToken),
            Schools = await db.Schools.Where(s => s.TenantId == tenantId && s.Code != null).ToListAsync(cancellationToken),
            Settings = await db.ProgrammeSettings.SingleOrDefaultAsync(s => s.TenantId == tenantId, cancellationToken),
            ReviewPolicies = await db.ReviewPolicies.Where(p => p.TenantId == tenantId).ToListAsync(cancellationToken),
        };
    }

    public CatalogReferences References() => new(
        Frameworks.ToDictionary(f => f.Key, f => (IReadOnlySet<string>)f.Skills.Select(s => s.Code).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal),
        Credentials.Select(c => c.Key).ToHashSet(StringComparer.Ordinal),
        Schools.Select(s => s.Code!).ToHashSet(StringComparer.Ordinal));
}
