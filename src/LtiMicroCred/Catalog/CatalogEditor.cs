using LtiMicroCred.Access;
using LtiMicroCred.Persistence;

namespace LtiMicroCred.Catalog;

/// <summary>
/// What the district catalog editor reads and previews. It edits catalog entries in the catalog file's own form, so
/// that saving (<see cref="ImportCatalog.SaveAsync"/>) is an import of a document holding just the edited entry.
/// </summary>
public sealed class CatalogEditor(AppDbContext db, ExportCatalog export, GetCredential getCredential)
{
    /// <summary>The district's catalog as the editor starts from: every entry as export writes it.</summary>
    public Task<CatalogDocument> LoadAsync(Actor actor, CancellationToken cancellationToken) => export.HandleAsync(actor, cancellationToken);

    /// <summary>One entry by key; a key the district does not have (or another district's) is not found.</summary>
    public static T Find<T>(IEnumerable<T> entries, Func<T, string?> keyOf, string key, string what) =>
        entries.FirstOrDefault(e => string.Equals(keyOf(e), key, StringComparison.Ordinal))
        ?? throw new NotFoundException($"This {what} is not in your district's catalog.");

    /// <summary>
    /// An unsaved credential as a teacher would see it: checked exactly as a save would check it (so a preview never
    /// shows what could not be saved), with the stored credential's version, offers, stacks and pathways when it has
    /// them. Nothing is written.
    /// </summary>
    public async Task<CredentialDetail> PreviewAsync(Actor actor, CatalogCredential entry, CancellationToken cancellationToken)
    {
        actor.RequireDistrictAdmin();
        var state = await CatalogState.LoadAsync(db, actor.TenantId, cancellationToken);
        var problems = CatalogValidator.Validate(new CatalogDocument { Format = CatalogDocument.CurrentFormat, Credentials = [entry] }, state.References());
        if (problems.Count > 0)
        {
            throw CatalogProblems.ToException(problems);
        }

        var stored = state.Credentials.Any(c => c.Key == entry.Key && c.CurrentVersionId != null)
            ? await getCredential.HandleAsync(actor, entry.Key!, cancellationToken)
            : null;
        var skillNames = state.Frameworks.SelectMany(f => f.Skills.Select(s => (f.Key, s.Code, s.Name))).ToDictionary(s => (s.Key, s.Code), s => s.Name);
        var skills = entry.Skills.Select(a => new SkillTag(a.Framework!, a.Code!, skillNames[(a.Framework!, a.Code!)])).ToList();
        return new CredentialDetail(stored?.Id ?? Guid.Empty, entry.Key!, entry.Title!, CatalogMapping.Blank(entry.Summary), entry.Retired,
            stored?.VersionNumber ?? 1, CatalogMapping.ToDefinition(entry), skills, stored?.Offers ?? [], stored?.StackTitles ?? [], stored?.PathwayTitles ?? []);
    }
}
