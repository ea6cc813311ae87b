using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Sandbox;

/// <summary>
/// The sandbox platform's state: where it lives, its seeded people and courses, and its signing key.
/// The key is made fresh for every process, so nothing secret is ever stored or committed.
/// </summary>
public sealed class SandboxLms : IDisposable
{
    internal const string PathPrefix = "/sandbox";
    internal const string PlatformName = "Sandbox LMS";

    private readonly RSA rsa;
    private string? baseUrl;

    public SandboxLms(IOptions<SandboxOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        rsa = RSA.Create(2048);
        var key = new RsaSecurityKey(rsa);
        // The RFC 7638 thumbprint makes a kid that changes exactly when the key does.
        key.KeyId = "sandbox-" + Base64UrlEncoder.Encode(key.ComputeJwkThumbprint())[..16];
        SigningKey = key;
        if (!string.IsNullOrWhiteSpace(Options.BaseUrl))
        {
            SetBaseUrl(Options.BaseUrl);
        }
    }

    /// <summary>Sets the public address of the host, e.g. "http://127.0.0.1:41234"; tests only learn their port at start.</summary>
    public void SetBaseUrl(string baseUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baseUrl);
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Query.Length > 0
            || uri.Fragment.Length > 0)
        {
            throw new ArgumentException($"The sandbox base URL must be an absolute http(s) URL without query or fragment, not '{baseUrl}'.", nameof(baseUrl));
        }

        Volatile.Write(ref this.baseUrl, uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));
    }

    public string BaseUrl => Volatile.Read(ref baseUrl)
        ?? throw new InvalidOperationException(
            "The sandbox LMS does not know its address yet: set Sandbox:BaseUrl, or call SandboxLms.SetBaseUrl when the server starts.");

    public SandboxPlatformDescriptor Platform
    {
        get
        {
            var root = BaseUrl + PathPrefix;
            return new SandboxPlatformDescriptor(
                Issuer: root,
                ClientId: Options.ClientId,
                DeploymentId: Options.DeploymentId,
                AuthorizationEndpoint: root + "/auth",
                TokenEndpoint: root + "/token",
                JwksUrl: root + "/jwks",
                Name: PlatformName);
        }
    }

    public IReadOnlyList<SandboxPerson> People { get; } = SandboxSeed.People;

    public IReadOnlyList<SandboxCourse> Courses { get; } = SandboxSeed.Courses;

    internal SandboxOptions Options { get; }

    internal RsaSecurityKey SigningKey { get; }

    /// <summary>The tool's launch URL: its only registered redirect_uri and the target of every launch.</summary>
    internal string ToolLaunchUrl => ToolUrl(Options.ToolLaunchPath);

    internal string ToolLoginInitiationUrl => ToolUrl(Options.ToolLoginInitiationPath);

    internal SandboxPerson? FindPerson(string? id) =>
        id is null ? null : People.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.Ordinal));

    internal SandboxCourse? FindCourse(string? id) =>
        id is null ? null : Courses.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.Ordinal));

    /// <summary>The public half of the signing key, as one JWK of a key set.</summary>
    internal IReadOnlyDictionary<string, string> PublicJwk()
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kty"] = "RSA",
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
            ["kid"] = SigningKey.KeyId,
            ["alg"] = SecurityAlgorithms.RsaSha256,
            ["use"] = "sig",
        };
    }

    public void Dispose() => rsa.Dispose();

    // An absolute URL is accepted too, though the tool normally lives on the same host as the sandbox.
    private string ToolUrl(string pathOrUrl) =>
        Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? pathOrUrl
            : BaseUrl + "/" + pathOrUrl.TrimStart('/');
}
