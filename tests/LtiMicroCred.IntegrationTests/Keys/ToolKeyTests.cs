using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LtiMicroCred.IntegrationTests.Infrastructure;
using LtiMicroCred.Jobs;
using LtiMicroCred.Lti.Keys;
using Microsoft.EntityFrameworkCore;

namespace LtiMicroCred.IntegrationTests.Keys;

/// <summary>The tool's key set: stored encrypted, published as JWKS, rotated by a job without breaking sessions.</summary>
public abstract class ToolKeyTests<THost>(THost host) where THost : ToolHost
{
    [Fact]
    public async Task Jwks_PublishesCurrentAndNextKeys_WithoutPrivateParts()
    {
        using var http = host.CreateRawClient();
        var response = await http.GetAsync("/.well-known/jwks.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        var keys = JsonNode.Parse(json)!["keys"]!.AsArray();
        Assert.True(keys.Count >= 2, json);
        Assert.All(keys, k =>
        {
            Assert.Equal("RSA", (string?)k!["kty"]);
            Assert.Equal("RS256", (string?)k["alg"]);
            Assert.Equal("sig", (string?)k["use"]);
            Assert.False(string.IsNullOrEmpty((string?)k["kid"]));
            Assert.Null(k["d"]);
            Assert.Null(k["p"]);
        });
        Assert.DoesNotContain("\"d\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateKeys_AreStoredEncrypted()
    {
        var rows = await host.WithDbAsync(db => db.ToolKeys.ToListAsync());
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var bytes = Convert.FromBase64String(row.ProtectedPrivateKey);
            using var rsa = RSA.Create();
            // Data Protection ciphertext is not a PKCS#8 key: reading it as one must fail.
            Assert.ThrowsAny<CryptographicException>(() => rsa.ImportPkcs8PrivateKey(bytes, out _));
            Assert.DoesNotContain("PRIVATE KEY", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        }

        var dataProtectionKeys = await host.WithDbAsync(db => db.DataProtectionKeys.CountAsync());
        Assert.True(dataProtectionKeys > 0, "The Data Protection key ring should live in the database.");
    }

    [Fact]
    public async Task Rotation_PromotesNextKey_KeepsOldKeyPublished_AndOldLaunchTokensStillWork()
    {
        using var http = host.CreateRawClient();
        using var client = new LaunchClient(host);
        var login = await client.ValidLoginAsync();
        var launch = await client.LaunchAsync(host.Platform.Sign(TestPlatform.ResourceLinkClaims(login.Nonce, client.LaunchUrl)), login);
        var tokenBefore = launch.Headers.Location!.OriginalString["/app?lt=".Length..];

        var before = await host.WithDbAsync(db => db.ToolKeys.AsNoTracking().ToListAsync());
        var next = before.Single(k => k.Status == ToolKeyStatus.Next).Kid;
        var current = before.Single(k => k.Status == ToolKeyStatus.Current).Kid;

        await host.WithServiceAsync<ToolKeyRotationJob, bool>(async job => { await job.RunAsync(CancellationToken.None); return true; });

        var after = await host.WithDbAsync(db => db.ToolKeys.AsNoTracking().ToListAsync());
        Assert.Equal(ToolKeyStatus.Current, after.Single(k => k.Kid == next).Status);
        Assert.Equal(ToolKeyStatus.Retired, after.Single(k => k.Kid == current).Status);
        Assert.Single(after, k => k.Status == ToolKeyStatus.Next);

        var jwks = JsonNode.Parse(await http.GetStringAsync("/.well-known/jwks.json"))!["keys"]!.AsArray().Select(k => (string?)k!["kid"]).ToList();
        Assert.Contains(next, jwks);
        Assert.Contains(current, jwks);
        Assert.Equal(3, jwks.Count);

        var home = await client.GetAsync("/app?lt=" + tokenBefore);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task LaunchStatePurge_RemovesOnlyLongExpiredStates()
    {
        using var client = new LaunchClient(host);
        var old = await client.ValidLoginAsync();
        var fresh = await client.ValidLoginAsync();
        await host.WithDbAsync(db => db.LaunchStates.Where(s => s.State == old.State)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ExpiresAt, DateTimeOffset.UtcNow.AddDays(-2))));

        var purged = await host.WithServiceAsync<LaunchStatePurgeJob, int>(job => job.RunAsync(CancellationToken.None));

        Assert.True(purged >= 1);
        Assert.False(await host.WithDbAsync(db => db.LaunchStates.AnyAsync(s => s.State == old.State)));
        Assert.True(await host.WithDbAsync(db => db.LaunchStates.AnyAsync(s => s.State == fresh.State)));
    }
}

public sealed class ToolKeyTests_Sqlite(SqliteToolHost host) : ToolKeyTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class ToolKeyTests_PostgreSql(PostgresToolHost host) : ToolKeyTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;

#if SQLSERVER
public sealed class ToolKeyTests_SqlServer(SqlServerToolHost host) : ToolKeyTests<SqlServerToolHost>(host), IClassFixture<SqlServerToolHost>;
#endif
