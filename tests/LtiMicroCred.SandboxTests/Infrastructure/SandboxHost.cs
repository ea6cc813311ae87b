using System.Net;
using System.Security.Cryptography;
using LtiMicroCred.Sandbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.SandboxTests.Infrastructure;

/// <summary>
/// The sandbox LMS on Kestrel on a free loopback port, reached over real HTTP. The same host plays the tool's part
/// the sandbox talks to: it publishes the tool's key set at /.well-known/jwks.json. Each test class gets its own
/// host (and so its own store and clock), so classes can run in parallel without seeing each other's data.
/// </summary>
public sealed class SandboxHost : IAsyncLifetime
{
    public const string ClientId = "sandbox-client";
    public const string DeploymentId = "sandbox-deployment-1";
    public const string RestClientId = "sandbox-rest-key";
    public const string RestClientSecret = "test-rest-secret";
    public const string McCourse = "4321";

    private readonly Lock keysGate = new();
    private readonly List<RsaSecurityKey> publishedKeys = [];
    private WebApplication? app;

    public SandboxHost()
    {
        ToolKey = NewKey("tool-key-1");
        publishedKeys.Add(ToolKey);
    }

    public ManualClock Clock { get; } = new();

    /// <summary>The tool's signing key, published in its key set.</summary>
    public RsaSecurityKey ToolKey { get; }

    public string BaseUrl { get; private set; } = string.Empty;

    /// <summary>The sandbox root, e.g. http://127.0.0.1:41234/sandbox: issuer and Canvas base URL.</summary>
    public string Root => BaseUrl + "/sandbox";

    public string TokenUrl => Root + "/login/oauth2/token";

    public SandboxLms Lms => app!.Services.GetRequiredService<SandboxLms>();

    public static RsaSecurityKey NewKey(string kid) => new(RSA.Create(2048)) { KeyId = kid };

    /// <summary>Adds a key to the tool's published key set, as a tool does when it rotates keys.</summary>
    public void Publish(RsaSecurityKey key)
    {
        lock (keysGate)
        {
            publishedKeys.Add(key);
        }
    }

    /// <summary>A client that neither follows redirects nor keeps cookies, so each step of a flow is visible.</summary>
    public HttpClient CreateClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(BaseUrl) };

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sandbox:Enabled"] = "true",
            ["Sandbox:RestClientSecret"] = RestClientSecret,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.Services.AddSandboxLms(builder.Configuration);

        app = builder.Build();
        app.MapSandboxLms();
        app.MapGet("/.well-known/jwks.json", () => Results.Json(new { keys = PublicJwks() }));
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address).GetLeftPart(UriPartial.Authority);
        Lms.SetBaseUrl(BaseUrl);
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private List<Dictionary<string, string>> PublicJwks()
    {
        lock (keysGate)
        {
            return publishedKeys.Select(k =>
            {
                var p = k.Rsa.ExportParameters(false);
                return new Dictionary<string, string>
                {
                    ["kty"] = "RSA",
                    ["kid"] = k.KeyId,
                    ["use"] = "sig",
                    ["alg"] = "RS256",
                    ["n"] = Base64UrlEncoder.Encode(p.Modulus),
                    ["e"] = Base64UrlEncoder.Encode(p.Exponent),
                };
            }).ToList();
        }
    }
}
