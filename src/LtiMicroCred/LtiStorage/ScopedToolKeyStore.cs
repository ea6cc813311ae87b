using LtiMicroCred.Lti.Keys;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.LtiStorage;

/// <summary>Lets the long-lived key set use the database through a fresh DbContext for each call.</summary>
public sealed class ScopedToolKeyStore(IServiceScopeFactory scopes) : IToolKeyStore
{
    public Task<IReadOnlyList<StoredToolKey>> ListAsync(CancellationToken cancellationToken) =>
        WithStore(s => s.ListAsync(cancellationToken));

    public Task AddAsync(StoredToolKey key, CancellationToken cancellationToken) =>
        WithStore(async s => { await s.AddAsync(key, cancellationToken); return true; });

    public Task SetStatusAsync(string kid, ToolKeyStatus status, DateTimeOffset? retiredAt, CancellationToken cancellationToken) =>
        WithStore(async s => { await s.SetStatusAsync(kid, status, retiredAt, cancellationToken); return true; });

    public Task DeleteAsync(string kid, CancellationToken cancellationToken) =>
        WithStore(async s => { await s.DeleteAsync(kid, cancellationToken); return true; });

    public Task KeepPublishedAsync(string kid, CancellationToken cancellationToken) =>
        WithStore(async s => { await s.KeepPublishedAsync(kid, cancellationToken); return true; });

    private async Task<T> WithStore<T>(Func<EfToolKeyStore, Task<T>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<EfToolKeyStore>());
    }
}
