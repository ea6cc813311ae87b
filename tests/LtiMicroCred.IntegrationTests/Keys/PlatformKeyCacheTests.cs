using System.Net;
using System.Security.Cryptography;
using LtiMicroCred.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.IntegrationTests.Keys;

/// <summary>The platform's JWKS is cached, refreshed once on an unknown kid, and not hammered by forged kids.</summary>
public sealed class PlatformKeyCacheTests : IAsyncLifetime
{
    private readonly RefreshingHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task UnknownKid_RefreshesKeysOnce_ThenRateLimitsFurtherRefreshes()
    {
        using var client = new LaunchClient(_host);
        // Warm the cache with a normal launch.
        var first = await client.ValidLoginAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await client.LaunchAsync(_host.Platform.Sign(TestPlatform.ResourceLinkClaims(first.Nonce, client.LaunchUrl)), first)).StatusCode);
        var fetches = _host.Platform.JwksRequestCount;
        _host.Clock.Offset = TimeSpan.FromMinutes(2); // past the one-minute minimum refresh interval

        // The platform rotates: the new kid is only in the refreshed JWKS.
        using var rotated = RSA.Create(2048);
        _host.Platform.ServeKeys(TestPlatform.Jwks((TestPlatform.Kid, _host.Platform.Key), ("platform-key-2", rotated)));
        var second = await client.ValidLoginAsync();
        var response = await client.LaunchAsync(TestPlatform.SignWith(rotated, TestPlatform.ResourceLinkClaims(second.Nonce, client.LaunchUrl), "platform-key-2"), second);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(fetches + 1, _host.Platform.JwksRequestCount);

        // Forged kids right after: no further fetch within the minimum refresh interval.
        using var stranger = RSA.Create(2048);
        for (var i = 0; i < 3; i++)
        {
            var login = await client.ValidLoginAsync();
            var forged = await client.LaunchAsync(TestPlatform.SignWith(stranger, TestPlatform.ResourceLinkClaims(login.Nonce, client.LaunchUrl), $"forged-{i}"), login);
            await Launch.LaunchAssertions.AssertRejectedAsync(forged, "unknown_key_id");
        }

        Assert.Equal(fetches + 1, _host.Platform.JwksRequestCount);
        _host.Platform.AssertNoUnexpectedRequests();
    }

    private sealed class RefreshingHost : ToolHost
    {
        public ShiftableClock Clock { get; } = new();

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Lti:PlatformKeysMinimumRefreshInterval"] = "00:01:00",
            ["Lti:PlatformKeysCacheDuration"] = "01:00:00",
        };

        protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());

        protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
    }

    /// <summary>The real clock, moved forward by a set amount (tokens are still signed with real times, within skew).</summary>
    public sealed class ShiftableClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
