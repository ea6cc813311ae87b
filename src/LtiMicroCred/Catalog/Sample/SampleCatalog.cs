using LtiMicroCred.Persistence;
using LtiMicroCred.Schools;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.Catalog.Sample;

/// <summary>
/// A catalog built from the practices of real district programmes (docs/catalog-format.md describes the file), loaded
/// into the sandbox district so the run command shows a catalog worth browsing.
/// </summary>
public sealed class SampleCatalog(AppDbContext db, ImportCatalog import, TimeProvider timeProvider)
{
    private const string ResourceName = "LtiMicroCred.Catalog.Sample.sample-catalog.json";

    /// <summary>
    /// The schools the sample's offerings and budgets name by code. Lincoln Elementary is the school the sandbox LMS's
    /// teachers and principal launch from; Juniper Middle School is one none of them belongs to.
    /// </summary>
    public static IReadOnlyList<(string Code, string Name)> Schools { get; } =
    [
        ("lincoln-es", "Lincoln Elementary"),
        ("juniper-ms", "Juniper Middle School"),
    ];

    public static CatalogDocument Document()
    {
        using var stream = typeof(SampleCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("The sample catalog is not embedded in the product assembly.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return CatalogJson.Read(buffer.ToArray());
    }

    /// <summary>Loads the sample into a district that has no credential yet; a district with any is left alone.</summary>
    /// <returns>Whether the sample was loaded.</returns>
    public async Task<bool> LoadIfEmptyAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (await db.Credentials.AnyAsync(c => c.TenantId == tenantId, cancellationToken))
        {
            return false;
        }

        var existing = await db.Schools.Where(s => s.TenantId == tenantId).Select(s => new { s.Code, s.Name }).ToListAsync(cancellationToken);
        foreach (var (code, name) in Schools.Where(s => !existing.Any(e => e.Code == s.Code || e.Name == s.Name)))
        {
            db.Schools.Add(new School { Id = Guid.NewGuid(), TenantId = tenantId, Code = code, Name = name, CreatedAt = timeProvider.GetUtcNow() });
        }

        await db.SaveChangesAsync(cancellationToken);
        await import.ImportAsync(tenantId, Document(), cancellationToken);
        return true;
    }
}
