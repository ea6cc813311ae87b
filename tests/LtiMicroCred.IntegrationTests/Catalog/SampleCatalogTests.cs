using LtiMicroCred.Catalog.Sample;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Schools;
using LtiMicroCred.Tenancy;
using LtiMicroCred.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Catalog;

/// <summary>The sandbox district's sample catalog: loaded once, into an empty district only, with the schools it names.</summary>
public abstract class SampleCatalogTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task SandboxDistrict_HasTheSampleFromStart_AndAStartAgainLeavesItAlone()
    {
        var tenantId = await host.WithDbAsync(db => db.Tenants.Where(t => t.Name == SandboxBootstrap.TenantName).Select(t => t.Id).SingleAsync());
        var before = await CountsAsync(tenantId);

        var loaded = await LoadAsync(tenantId);

        Assert.False(loaded);
        Assert.Equal(SampleCatalog.Document().Credentials.Count, before.Credentials);
        Assert.Equal(before, await CountsAsync(tenantId));
    }

    [Fact]
    public async Task EmptyDistrict_GetsTheSampleAndItsSchools_Once_GivingACodeToASchoolKnownByNameOnly()
    {
        var tenant = new Tenant { Id = Guid.NewGuid(), Name = "Empty " + Guid.NewGuid().ToString("N")[..6], CreatedAt = DateTimeOffset.UtcNow };
        await host.WithDbAsync(db =>
        {
            db.Tenants.Add(tenant);
            db.Schools.Add(new School { Id = Guid.NewGuid(), TenantId = tenant.Id, Name = "Lincoln Elementary", CreatedAt = DateTimeOffset.UtcNow });
            return db.SaveChangesAsync();
        });

        Assert.True(await LoadAsync(tenant.Id));
        var first = await CountsAsync(tenant.Id);
        Assert.False(await LoadAsync(tenant.Id));

        Assert.Equal(first, await CountsAsync(tenant.Id));
        Assert.Equal(8, first.Credentials);
        var schools = await host.WithDbAsync(db => db.Schools.Where(s => s.TenantId == tenant.Id).OrderBy(s => s.Code).Select(s => s.Code + " " + s.Name).ToListAsync());
        Assert.Equal(["juniper-ms Juniper Middle School", "lincoln-es Lincoln Elementary"], schools);
    }

    private Task<bool> LoadAsync(Guid tenantId) =>
        host.WithServiceAsync<SampleCatalog, bool>(sample => sample.LoadIfEmptyAsync(tenantId, CancellationToken.None));

    private Task<(int Credentials, int Versions, int Offerings, int Schools)> CountsAsync(Guid tenantId) => host.WithDbAsync(async db => (
        await db.Credentials.CountAsync(c => c.TenantId == tenantId),
        await db.CredentialVersions.CountAsync(v => db.Credentials.Any(c => c.Id == v.CredentialId && c.TenantId == tenantId)),
        await db.Offerings.CountAsync(o => o.TenantId == tenantId),
        await db.Schools.CountAsync(s => s.TenantId == tenantId)));
}

public sealed class SampleCatalogTests_Sqlite(SqliteToolHost host) : SampleCatalogTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class SampleCatalogTests_PostgreSql(PostgresToolHost host) : SampleCatalogTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
