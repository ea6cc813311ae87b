using System.Net;
using System.Text.Json.Nodes;
using LtiMicroCred.IntegrationTests.Infrastructure;

namespace LtiMicroCred.IntegrationTests.Hosting;

/// <summary>What an LMS admin and a lost browser see from the host.</summary>
public sealed class HostPagesTests(SqliteToolHost host) : IClassFixture<SqliteToolHost>
{
    [Fact]
    public async Task CanvasDeveloperKeyJson_IsServedWithThisHostFilledIn()
    {
        using var http = host.CreateRawClient();
        var response = await http.GetAsync("/lti/config/canvas.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("{{TOOL_BASE_URL}}", body, StringComparison.Ordinal);
        var json = JsonNode.Parse(body)!;
        var baseUrl = host.BaseAddress.ToString().TrimEnd('/');
        Assert.Equal(baseUrl + "/lti/login", (string?)json["oidc_initiation_url"]);
        Assert.Equal(baseUrl + "/lti/launch", (string?)json["target_link_uri"]);
        Assert.Equal(baseUrl + "/.well-known/jwks.json", (string?)json["public_jwk_url"]);
        Assert.Contains("https://purl.imsglobal.org/spec/lti-ags/scope/score", json["scopes"]!.AsArray().Select(s => (string?)s));
    }

    [Fact]
    public async Task UnknownPage_ShowsPlainNotFoundPage()
    {
        using var http = host.CreateRawClient();
        var response = await http.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Page not found", body, StringComparison.Ordinal);
        Assert.Contains("lang=\"en\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_MayBeFramedByAnLms()
    {
        using var http = host.CreateRawClient();
        var response = await http.GetAsync("/error/404");
        Assert.False(response.Headers.Contains("X-Frame-Options"));
        Assert.Contains("frame-ancestors *", string.Join(' ', response.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ReportsHealthy()
    {
        using var http = host.CreateRawClient();
        Assert.Equal("Healthy", await http.GetStringAsync("/health"));
    }
}
