using System.Security.Cryptography;
using System.Text;
using LtiMicroCred.Lti.Services.Tokens;
using LtiMicroCred.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.LtiStorage;

/// <summary>Row of a platform's service token for one scope set; the token itself is Data Protection ciphertext.</summary>
public sealed class ServiceTokenRecord
{
    public Guid PlatformId { get; set; }

    /// <summary>SHA-256 of the sorted scope list, so the key stays short on every database.</summary>
    public required string ScopeHash { get; set; }

    public required string Scopes { get; set; }

    public required string ProtectedToken { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>Service tokens in the database, encrypted, so every node of a cluster shares one token per platform and scope set.</summary>
public sealed class EfServiceTokenCache(IServiceScopeFactory scopes, IDataProtectionProvider dataProtection) : IServiceTokenCache
{
    private readonly IDataProtector protector = dataProtection.CreateProtector("LtiMicroCred.ServiceTokens.v1");

    public Task<ServiceAccessToken?> GetAsync(Guid platformId, string scopeKey, CancellationToken cancellationToken) =>
        WithDbAsync(async db =>
        {
            var hash = Hash(scopeKey);
            var row = await db.ServiceTokens.AsNoTracking().SingleOrDefaultAsync(t => t.PlatformId == platformId && t.ScopeHash == hash, cancellationToken);
            return row is null ? null : Read(row);
        });

    public Task SetAsync(Guid platformId, string scopeKey, ServiceAccessToken token, CancellationToken cancellationToken) =>
        WithDbAsync(async db =>
        {
            var hash = Hash(scopeKey);
            var value = protector.Protect(token.AccessToken);
            var granted = string.Join(' ', token.Scopes);
            var updated = await db.ServiceTokens.Where(t => t.PlatformId == platformId && t.ScopeHash == hash)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.ProtectedToken, value).SetProperty(t => t.Scopes, granted).SetProperty(t => t.ExpiresAt, token.ExpiresAt), cancellationToken);
            if (updated == 0)
            {
                db.ServiceTokens.Add(new ServiceTokenRecord { PlatformId = platformId, ScopeHash = hash, Scopes = granted, ProtectedToken = value, ExpiresAt = token.ExpiresAt });
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException)
                {
                    // Another node stored a token for the same scopes at the same moment; either one will do.
                }
            }

            return true;
        });

    public Task RemoveAsync(Guid platformId, string scopeKey, string accessToken, CancellationToken cancellationToken) =>
        WithDbAsync(async db =>
        {
            var hash = Hash(scopeKey);
            var row = await db.ServiceTokens.AsNoTracking().SingleOrDefaultAsync(t => t.PlatformId == platformId && t.ScopeHash == hash, cancellationToken);
            if (row is not null && Read(row)?.AccessToken == accessToken)
            {
                // Conditional on the ciphertext read, so a token another node just stored is not deleted.
                await db.ServiceTokens.Where(t => t.PlatformId == platformId && t.ScopeHash == hash && t.ProtectedToken == row.ProtectedToken)
                    .ExecuteDeleteAsync(cancellationToken);
            }

            return true;
        });

    private ServiceAccessToken? Read(ServiceTokenRecord row)
    {
        try
        {
            return new ServiceAccessToken(protector.Unprotect(row.ProtectedToken), row.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), row.ExpiresAt);
        }
        catch (CryptographicException)
        {
            // Encrypted with a key the ring no longer has: as good as no token.
            return null;
        }
    }

    // A singleton used from singletons, so each call opens its own scope and context.
    private async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    private static string Hash(string scopeKey) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(scopeKey)));
}
