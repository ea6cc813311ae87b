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

    /// <summary>Canvas's own token path, so a Canvas client pointed at the sandbox root finds it where it expects.</summary>
    internal const string TokenPath = "/login/oauth2/token";
    internal const string RestAuthorizePath = "/login/oauth2/auth";
    internal const string DeepLinkingReturnPath = "/deep-linking/return";

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
        RestClientSecret = string.IsNullOrWhiteSpace(Options.RestClientSecret)
            ? Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32))
            : Options.RestClientSecret;
        RestSecretGenerated = string.IsNullOrWhiteSpace(Options.RestClientSecret);
        foreach (var (name, value) in new[]
        {
            (nameof(SandboxOptions.ServiceTokenLifetime), Options.ServiceTokenLifetime),
            (nameof(SandboxOptions.RestAccessTokenLifetime), Options.RestAccessTokenLifetime),
            (nameof(SandboxOptions.ToolJwksCacheLifetime), Options.ToolJwksCacheLifetime),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentException($"The setting Sandbox:{name} must be a positive time span, not '{value}'.", nameof(options));
            }
        }

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
            var root = Root;
            return new SandboxPlatformDescriptor(
                Issuer: root,
                ClientId: Options.ClientId,
                DeploymentId: Options.DeploymentId,
                AuthorizationEndpoint: root + "/auth",
                TokenEndpoint: TokenEndpoint,
                JwksUrl: root + "/jwks",
                Name: PlatformName)
            {
                CanvasBaseUrl = root,
                RestAuthorizationEndpoint = root + RestAuthorizePath,
                RestClientId = Options.RestClientId,
                RestClientSecret = RestClientSecret,
                DeepLinkingReturnUrl = root + DeepLinkingReturnPath,
            };
        }
    }

    public IReadOnlyList<SandboxPerson> People { get; } = SandboxSeed.People;

    public IReadOnlyList<SandboxCourse> Courses { get; } = SandboxSeed.Courses;

    internal SandboxOptions Options { get; }

    /// <summary>The sandbox's own root URL, e.g. "http://localhost:5000/sandbox": the issuer and the Canvas base URL.</summary>
    internal string Root => BaseUrl + PathPrefix;

    internal string TokenEndpoint => Root + TokenPath;

    internal string RestClientSecret { get; }

    /// <summary>True when nobody configured the secret, so the home page may show the one made at start.</summary>
    internal bool RestSecretGenerated { get; }

    internal RsaSecurityKey SigningKey { get; }

    /// <summary>The tool's launch URL: a registered redirect_uri and the default target of every resource link launch.</summary>
    internal string ToolLaunchUrl => IsAbsolute(Options.ToolLaunchPath) ? Options.ToolLaunchPath : BaseUrl + "/" + Options.ToolLaunchPath.TrimStart('/');

    /// <summary>
    /// Where the tool lives: the origin of its launch URL when that is absolute (a tool on another site), else the
    /// sandbox's own base URL. The tool's other paths (login, deep linking, key set) are resolved against it.
    /// </summary>
    internal string ToolBaseUrl => IsAbsolute(Options.ToolLaunchPath) ? new Uri(Options.ToolLaunchPath).GetLeftPart(UriPartial.Authority) : BaseUrl;

    internal string ToolLoginInitiationUrl => ToolUrl(Options.ToolLoginInitiationPath);

    internal string ToolDeepLinkingUrl => string.IsNullOrWhiteSpace(Options.ToolDeepLinkingPath) ? ToolLaunchUrl : ToolUrl(Options.ToolDeepLinkingPath);

    internal string ToolJwksUrl => ToolUrl(Options.ToolJwksPath);

    /// <summary>The redirect URIs registered for the tool's LTI launches: where an id_token may be sent.</summary>
    internal bool IsRegisteredRedirectUri(string uri) =>
        string.Equals(uri, ToolLaunchUrl, StringComparison.Ordinal) || string.Equals(uri, ToolDeepLinkingUrl, StringComparison.Ordinal);

    /// <summary>
    /// Whether the REST developer key may send an authorization code to <paramref name="uri"/>: one of the configured
    /// redirect URIs, or, when none are configured, any URL on the tool's or the sandbox's origin.
    /// </summary>
    internal bool IsRestRedirectUri(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || parsed.Fragment.Length > 0)
        {
            return false;
        }

        if (Options.RestRedirectUris.Count > 0)
        {
            return Options.RestRedirectUris.Contains(uri, StringComparer.Ordinal);
        }

        var origin = parsed.GetLeftPart(UriPartial.Authority);
        return string.Equals(origin, new Uri(ToolLaunchUrl).GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            || string.Equals(origin, new Uri(BaseUrl).GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
    }

    internal SandboxPerson? FindPerson(string? id) =>
        id is null ? null : People.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.Ordinal));

    internal SandboxCourse? FindCourse(string? id) =>
        id is null ? null : Courses.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.Ordinal));

    internal SandboxPerson? FindPersonByCanvasId(long id) => People.FirstOrDefault(p => p.CanvasId == id);

    /// <summary>Finds a course from a path segment, which like Canvas's is the numeric course id.</summary>
    internal SandboxCourse? FindCourseByCanvasId(string? id) =>
        long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? Courses.FirstOrDefault(c => c.CanvasId == number)
            : null;

    /// <summary>
    /// Finds a person by the user id a tool sends to AGS: the LTI user id (sub), or, as Canvas also accepts, the
    /// numeric Canvas user id.
    /// </summary>
    internal SandboxPerson? FindPersonByAnyId(string? id) =>
        FindPerson(id) ?? (long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? FindPersonByCanvasId(n)
            : null);

    /// <summary>Absolute URL of the AGS line items container of a course.</summary>
    internal string LineItemsUrl(SandboxCourse course) =>
        Root + "/api/lti/courses/" + course.CanvasId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/line_items";

    internal string LineItemUrl(SandboxCourse course, long lineItemId) =>
        LineItemsUrl(course) + "/" + lineItemId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal string MembershipsUrl(SandboxCourse course) =>
        Root + "/api/lti/courses/" + course.CanvasId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/names_and_roles";

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
    private string ToolUrl(string pathOrUrl) => IsAbsolute(pathOrUrl) ? pathOrUrl : ToolBaseUrl + "/" + pathOrUrl.TrimStart('/');

    private static bool IsAbsolute(string pathOrUrl) =>
        Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal);
}
