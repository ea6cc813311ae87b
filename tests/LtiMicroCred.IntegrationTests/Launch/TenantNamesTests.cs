using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.IntegrationTests.Reviews;
using LtiMicroCred.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Launch;

/// <summary>The district name on the landing page comes from a per-node cache that forgets after its lifetime.</summary>
public sealed class TenantNamesTests(SqliteToolHost host) : IClassFixture<SqliteToolHost>
{
    [Fact]
    public async Task AName_IsReadOnce_ThenKeptForItsLifetime_AndReadAgainAfterIt()
    {
        var clock = new MovableClock();
        var names = new TenantNames(clock);
        var tenant = new Tenant { Id = Guid.NewGuid(), Name = "Maple Grove Schools", CreatedAt = DateTimeOffset.UtcNow };
        await host.WithDbAsync(db =>
        {
            db.Tenants.Add(tenant);
            return db.SaveChangesAsync();
        });

        Assert.Equal("Maple Grove Schools", await host.WithDbAsync(db => names.NameAsync(db, tenant.Id, CancellationToken.None)));

        // Renamed in the database directly (the tool itself never renames a district).
        await host.WithDbAsync(db => db.Tenants.Where(t => t.Id == tenant.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.Name, "Maple Grove Unified")));
        Assert.Equal("Maple Grove Schools", await host.WithDbAsync(db => names.NameAsync(db, tenant.Id, CancellationToken.None)));

        clock.Offset += TenantNames.Lifetime + TimeSpan.FromSeconds(1);
        Assert.Equal("Maple Grove Unified", await host.WithDbAsync(db => names.NameAsync(db, tenant.Id, CancellationToken.None)));
    }

    [Fact]
    public async Task AnUnknownTenant_HasNoName_AndNothingIsKeptForIt()
    {
        var names = new TenantNames(TimeProvider.System);
        var id = Guid.NewGuid();
        Assert.Equal(string.Empty, await host.WithDbAsync(db => names.NameAsync(db, id, CancellationToken.None)));

        await host.WithDbAsync(db =>
        {
            db.Tenants.Add(new Tenant { Id = id, Name = "Late Arrival District", CreatedAt = DateTimeOffset.UtcNow });
            return db.SaveChangesAsync();
        });
        Assert.Equal("Late Arrival District", await host.WithDbAsync(db => names.NameAsync(db, id, CancellationToken.None)));
    }
}
