using System.Net;
using LtiMicroCred.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using WireMock.Server;

namespace LtiMicroCred.IntegrationTests.Registration;

/// <summary>An install as it ships: open registration off, and a platform (the sandbox's) already registered.</summary>
public sealed class ClosedRegistrationHost : ToolHost
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Lti:AllowOpenRegistration"] = "false" };

    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());
}

public sealed class ClosedRegistrationTests(ClosedRegistrationHost host) : IClassFixture<ClosedRegistrationHost>
{
    [Fact]
    public async Task RegistrationWithoutAnInvitation_IsRefusedBeforeTheLmsIsAsked_AndAddsNoPlatform()
    {
        using var platform = WireMockServer.Start();
        var before = await host.WithDbAsync(db => db.Platforms.CountAsync());
        Assert.True(before > 0, "The sandbox platform should already be registered.");

        using var http = host.CreateRawClient();
        var response = await http.GetAsync($"/lti/register?openid_configuration={Uri.EscapeDataString(platform.Url + "/api/lti/security/openid-configuration")}&registration_token=t");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("only through a registration link from a district administrator", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(platform.LogEntries);
        Assert.Equal(before, await host.WithDbAsync(db => db.Platforms.CountAsync()));
    }
}
