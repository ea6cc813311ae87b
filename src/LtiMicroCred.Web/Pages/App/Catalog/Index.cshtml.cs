using LtiMicroCred.Catalog;

namespace LtiMicroCred.Web.Pages.App.Catalog;

/// <summary>The teacher's catalog: what their district and school offer them, grouped by stack and pathway.</summary>
public sealed class IndexModel(BrowseCatalog browse) : AppPageModel
{
    public CatalogView View { get; private set; } = new([]);

    public async Task OnGetAsync(CancellationToken cancellationToken) => View = await browse.HandleAsync(Actor, cancellationToken);

    public static string GroupId(CatalogGroup group) => "group-" + (group.Key ?? "more");
}
