using LtiMicroCred.Persistence;
using LtiMicroCred.Schools;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Catalog.Sample;

/// <summary>
/// A catalog built from the practices of real district programmes (docs/catalog-format.md describes the file), loaded
/// into the sandbox district so the run command shows a catalog worth browsing.
/// </summary>
public sealed partial class SampleCatalog(AppDbContext db, ImportCatalog import, TimeProvider timeProvider, ILogger<SampleCatalog> logger)
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

        var existing = await db.Schools.Where(s => s.TenantId == tenantId).ToListAsync(cancellationToken);
        foreach (var (code, name) in Schools)
        {
            if (existing.FirstOrDefault(s => s.Name == name) is { Code: null } named)
            {
                // A school made from launches before the sample has no code yet; give it the one the sample uses.
                named.Code = code;
            }
            else if (!existing.Any(s => s.Code == code || s.Name == name))
            {
                db.Schools.Add(new School { Id = Guid.NewGuid(), TenantId = tenantId, Code = code, Name = name, CreatedAt = timeProvider.GetUtcNow() });
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        try
        {
            var summary = await import.ImportAsync(tenantId, Document(), cancellationToken);
            LogLoaded(logger, tenantId, summary.Credentials.Created);
            return true;
        }
        catch (UseCaseException refused)
        {
            // The sandbox must still start (its launches do not need a catalog); the log says why the catalog is empty.
            LogNotLoaded(logger, tenantId, refused.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sample catalog loaded into tenant {TenantId}: {Credentials} credentials")]
    private static partial void LogLoaded(ILogger logger, Guid tenantId, int credentials);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sample catalog not loaded into tenant {TenantId}: {Reason}")]
    private static partial void LogNotLoaded(ILogger logger, Guid tenantId, string reason);
}
