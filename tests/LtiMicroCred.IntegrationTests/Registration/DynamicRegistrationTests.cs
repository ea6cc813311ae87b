using System.Net;
using System.Text.Json.Nodes;
using LtiMicroCred.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace LtiMicroCred.IntegrationTests.Registration;

/// <summary>LTI Dynamic Registration against a WireMock platform that speaks the 1EdTech registration protocol.</summary>
public abstract class DynamicRegistrationTests<THost>(THost host) : IDisposable where THost : ToolHost
{
    private const string ConfigurationPath = "/api/lti/security/openid-configuration";
    private const string RegistrationPath = "/api/lti/registrations";
    private const string RegistrationToken = "one-time-registration-token";
    private readonly WireMockServer _platform = WireMockServer.Start();
    private readonly string _issuer = "https://dynreg-" + Guid.NewGuid().ToString("N")[..8] + ".test.example";

    [Fact]
    public async Task Registration_PostsToolConfiguration_StoresPlatform_AndTheNewPlatformCanLaunch()
    {
        ServeConfiguration();
        ServeRegistration(HttpStatusCode.OK, "dyn-client-1", "dyn-deployment-1");

        var response = await RegisterAsync();
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("Registration complete", body, StringComparison.Ordinal);
        Assert.Contains("org.imsglobal.lti.close", body, StringComparison.Ordinal);

        var sent = _platform.LogEntries.Single(e => e.RequestMessage.Path == RegistrationPath);
        Assert.Equal("Bearer " + RegistrationToken, sent.RequestMessage.Headers!["Authorization"].Single());
        var tool = JsonNode.Parse(sent.RequestMessage.Body!)!;
        var baseUrl = host.BaseAddress.ToString().TrimEnd('/');
        Assert.Equal(baseUrl + "/lti/login", (string?)tool["initiate_login_uri"]);
        Assert.Equal(baseUrl + "/lti/launch", (string?)tool["redirect_uris"]![0]);
        Assert.Equal(baseUrl + "/.well-known/jwks.json", (string?)tool["jwks_uri"]);
        Assert.Equal("private_key_jwt", (string?)tool["token_endpoint_auth_method"]);
        Assert.Contains("https://purl.imsglobal.org/spec/lti-ags/scope/score", (string?)tool["scope"], StringComparison.Ordinal);
        Assert.DoesNotContain("lineitem.readonly", (string?)tool["scope"], StringComparison.Ordinal); // not offered by this platform
        var messages = tool["https://purl.imsglobal.org/spec/lti-tool-configuration"]!["messages"]!.AsArray();
        Assert.Contains(messages, m => (string?)m!["type"] == "LtiDeepLinkingRequest");

        var platform = await host.WithDbAsync(db => db.Platforms.Include(p => p.Deployments).SingleAsync(p => p.Issuer == _issuer));
        Assert.Equal("dyn-client-1", platform.ClientId);
        Assert.Equal(_platform.Url + "/api/lti/security/jwks", platform.JwksUrl);
        Assert.Equal("dyn-deployment-1", Assert.Single(platform.Deployments).DeploymentId);

        // The new registration works for a login initiation straight away.
        using var http = host.CreateRawClient();
        var login = await http.PostAsync("/lti/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["iss"] = _issuer,
            ["login_hint"] = "someone",
            ["target_link_uri"] = baseUrl + "/lti/launch",
            ["client_id"] = "dyn-client-1",
            ["lti_deployment_id"] = "dyn-deployment-1",
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith(_platform.Url + "/api/lti/authorize_redirect?", login.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_OfAnAlreadyRegisteredClient_IsRefusedAndChangesNothing()
    {
        ServeConfiguration();
        ServeRegistration(HttpStatusCode.OK, "dyn-client-2", "dyn-deployment-2");
        Assert.Equal(HttpStatusCode.OK, (await RegisterAsync()).StatusCode);

        // A second registration claiming the same client id must not repoint the stored registration.
        var response = await RegisterAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("already exists", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await host.WithDbAsync(db => db.Platforms.CountAsync(p => p.Issuer == _issuer)));
    }

    [Fact]
    public async Task Registration_RefusedByPlatform_ShowsPlainReason()
    {
        ServeConfiguration();
        _platform.Given(Request.Create().WithPath(RegistrationPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
                .WithBody("{\"errors\":{\"type\":\"unauthorized\",\"message\":\"Invalid access token.\"}}"));

        var response = await RegisterAsync();
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Registration failed", body, StringComparison.Ordinal);
        Assert.Contains("answered 401", body, StringComparison.Ordinal);
        Assert.DoesNotContain(RegistrationToken, body, StringComparison.Ordinal);
        Assert.False(await host.WithDbAsync(db => db.Platforms.AnyAsync(p => p.Issuer == _issuer)));
    }

    [Fact]
    public async Task Registration_WithoutOpenIdConfiguration_ShowsPlainReason()
    {
        using var http = host.CreateRawClient();
        var response = await http.GetAsync("/lti/register");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("openid_configuration", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_EndpointOnAnotherHost_IsRefusedBeforeTheTokenIsSent()
    {
        ServeConfiguration(registrationEndpoint: "http://elsewhere.test.example/register");
        var response = await RegisterAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("different host", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(_platform.LogEntries, e => e.RequestMessage.Method == "POST");
    }

    public void Dispose()
    {
        _platform.Stop();
        _platform.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<HttpResponseMessage> RegisterAsync()
    {
        using var http = host.CreateRawClient();
        var url = $"/lti/register?openid_configuration={Uri.EscapeDataString(_platform.Url + ConfigurationPath)}&registration_token={RegistrationToken}";
        return await http.GetAsync(url);
    }

    private void ServeConfiguration(string? registrationEndpoint = null)
    {
        var configuration = new JsonObject
        {
            ["issuer"] = _issuer,
            ["authorization_endpoint"] = _platform.Url + "/api/lti/authorize_redirect",
            ["token_endpoint"] = _platform.Url + "/login/oauth2/token",
            ["jwks_uri"] = _platform.Url + "/api/lti/security/jwks",
            ["registration_endpoint"] = registrationEndpoint ?? _platform.Url + RegistrationPath,
            ["scopes_supported"] = new JsonArray(
                "openid",
                "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
                "https://purl.imsglobal.org/spec/lti-ags/scope/score",
                "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["https://purl.imsglobal.org/spec/lti-platform-configuration"] = new JsonObject
            {
                ["product_family_code"] = "canvas",
                ["version"] = "OpenSource",
                ["messages_supported"] = new JsonArray(new JsonObject { ["type"] = "LtiResourceLinkRequest" }, new JsonObject { ["type"] = "LtiDeepLinkingRequest" }),
            },
        };
        _platform.Given(Request.Create().WithPath(ConfigurationPath).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(configuration.ToJsonString()));
    }

    private void ServeRegistration(HttpStatusCode status, string clientId, string deploymentId)
    {
        var reply = new JsonObject
        {
            ["client_id"] = clientId,
            ["application_type"] = "web",
            ["https://purl.imsglobal.org/spec/lti-tool-configuration"] = new JsonObject { ["deployment_id"] = deploymentId },
        };
        _platform.Given(Request.Create().WithPath(RegistrationPath).UsingPost().WithHeader("Authorization", "Bearer " + RegistrationToken))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(reply.ToJsonString()));
    }
}

public sealed class DynamicRegistrationTests_Sqlite(SqliteToolHost host) : DynamicRegistrationTests<SqliteToolHost>(host), IClassFixture<SqliteToolHost>;

public sealed class DynamicRegistrationTests_PostgreSql(PostgresToolHost host) : DynamicRegistrationTests<PostgresToolHost>(host), IClassFixture<PostgresToolHost>;
