using LtiMicroCred.Catalog;

namespace LtiMicroCred.Web.Pages.App.Catalog;

/// <summary>One credential's six components, how it is scored and what it earns, with the form that starts it.</summary>
public sealed class CredentialModel(GetCredential getCredential) : AppPageModel
{
    public CredentialDetail Detail { get; private set; } = null!;

    public async Task OnGetAsync(string key, CancellationToken cancellationToken) => Detail = await getCredential.HandleAsync(Actor, key, cancellationToken);
}
