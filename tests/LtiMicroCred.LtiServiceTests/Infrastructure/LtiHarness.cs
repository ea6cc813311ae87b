using LtiMicroCred.Lti.DeepLinking;
using LtiMicroCred.Lti.Hosting;
using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Lti.Services;
using LtiMicroCred.Lti.Services.Ags;
using LtiMicroCred.Lti.Services.Nrps;
using LtiMicroCred.Lti.Services.Tokens;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LtiMicroCred.LtiServiceTests.Infrastructure;

/// <summary>
/// One test's world: a Canvas stub, and the LTI services registered the way the host does (AddLti) with in-memory
/// key store and token cache, ephemeral Data Protection, a clock the test can move, and tiny retry delays.
/// </summary>
internal sealed class LtiHarness : IDisposable
{
    public const string Issuer = "https://canvas.instructure.com";
    public const string ClientId = "10000000000012";
    public const int RetryCount = 3;

    /// <summary>The access token of contract file 01.</summary>
    public const string ContractToken = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMDAwMDAwMDAwMDAxMiJ9.c2lnbmF0dXJl";

    private LtiHarness(LtiStub lms, ServiceProvider services)
    {
        Lms = lms;
        Services = services;
        // A fresh platform id per test: the per-platform governor (concurrency, rate pause) is shared process-wide.
        Platform = new LtiPlatform(Guid.NewGuid(), Issuer, ClientId, lms.Url + "/api/lti/authorize_redirect", lms.TokenEndpoint, lms.Url + "/api/lti/security/jwks");
    }

    public LtiStub Lms { get; }

    public ServiceProvider Services { get; }

    public LtiPlatform Platform { get; }

    public SettableClock Clock { get; } = new();

    public InMemoryServiceTokenCache TokenCache { get; } = new();

    public InMemoryToolKeyStore KeyStore { get; } = new();

    public AgsClient Ags => Services.GetRequiredService<AgsClient>();

    public NrpsClient Nrps => Services.GetRequiredService<NrpsClient>();

    public ServiceTokenProvider Tokens => Services.GetRequiredService<ServiceTokenProvider>();

    public ToolKeySet ToolKeys => Services.GetRequiredService<ToolKeySet>();

    public DeepLinkingResponseBuilder DeepLinking => Services.GetRequiredService<DeepLinkingResponseBuilder>();

    /// <summary>Canvas's course 4321 LTI URLs on the stub.</summary>
    public string CoursePath(string rest = "") => "/api/lti/courses/4321" + rest;

    public string Absolute(string pathAndQuery) => Lms.Url + pathAndQuery;

    public static async Task<LtiHarness> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var lms = new LtiStub();
        var values = new Dictionary<string, string?>
        {
            ["Lti:ServiceRetryBaseDelay"] = "00:00:00.001",
            ["Lti:AllowInsecurePlatformUrls"] = "true",
            ["Lti:ServiceRetryCount"] = RetryCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var harness = (LtiHarness?)null;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_ => harness!.Clock);
        services.AddSingleton<IToolKeyStore>(_ => harness!.KeyStore);
        services.AddSingleton<IServiceTokenCache>(_ => harness!.TokenCache);
        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        services.AddLti(configuration);
        harness = new LtiHarness(lms, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true }));
        await harness.ToolKeys.EnsureKeysAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>An LtiServiceHttp and AgsClient like the registered ones but on <paramref name="clock"/> (for the rate-limit pause).</summary>
    public AgsClient AgsOn(TimeProvider clock)
    {
        var http = new LtiServiceHttp(
            Services.GetRequiredService<IHttpClientFactory>(),
            Tokens,
            Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Lti.LtiOptions>>(),
            clock,
            Services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<LtiServiceHttp>>());
        return new AgsClient(http);
    }

    public void Dispose()
    {
        Services.Dispose();
        Lms.Dispose();
    }
}
