using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Lti.Registration;

/// <summary>What the platform says of itself in its OpenID configuration (the parts the tool uses).</summary>
public sealed record PlatformConfiguration(
    string Issuer,
    string AuthorizationEndpoint,
    string TokenEndpoint,
    string JwksUri,
    string RegistrationEndpoint,
    IReadOnlyList<string> ScopesSupported,
    string? ProductFamilyCode);

/// <summary>The tool's own addresses and wishes, sent to the platform's registration endpoint.</summary>
public sealed record ToolRegistrationRequest(
    string BaseUrl,
    string ClientName,
    string Description,
    IReadOnlyList<string> Scopes,
    IReadOnlyDictionary<string, string> CustomParameters);

public sealed record DynamicRegistrationResult(PlatformConfiguration Platform, string ClientId, string DeploymentId);

/// <summary>A registration the platform or its configuration refused; the message is fit to show an LMS admin.</summary>
public sealed class DynamicRegistrationException(string message) : Exception(message);

/// <summary>
/// The tool side of 1EdTech LTI Dynamic Registration: read the platform's OpenID configuration, post the tool's
/// configuration to the platform's registration endpoint with the one-time registration token, read back the client id.
/// </summary>
public sealed class DynamicRegistrationClient(HttpClient http, IOptions<LtiOptions> options)
{
    public const string ToolConfigurationClaim = "https://purl.imsglobal.org/spec/lti-tool-configuration";
    private const string PlatformConfigurationClaim = "https://purl.imsglobal.org/spec/lti-platform-configuration";

    public async Task<DynamicRegistrationResult> RegisterAsync(
        Uri openIdConfigurationUrl, string? registrationToken, ToolRegistrationRequest tool, CancellationToken cancellationToken)
    {
        RequireSafeUrl(openIdConfigurationUrl, "openid_configuration");
        var platform = await ReadConfigurationAsync(openIdConfigurationUrl, registrationToken, cancellationToken);

        var scopes = tool.Scopes.Where(s => platform.ScopesSupported.Count == 0 || platform.ScopesSupported.Contains(s)).ToList();
        var body = new Dictionary<string, object>
        {
            ["application_type"] = "web",
            ["response_types"] = new[] { "id_token" },
            ["grant_types"] = new[] { "implicit", "client_credentials" },
            ["initiate_login_uri"] = tool.BaseUrl + "/lti/login",
            ["redirect_uris"] = new[] { tool.BaseUrl + "/lti/launch" },
            ["client_name"] = tool.ClientName,
            ["jwks_uri"] = tool.BaseUrl + "/.well-known/jwks.json",
            ["token_endpoint_auth_method"] = "private_key_jwt",
            ["scope"] = string.Join(' ', scopes),
            [ToolConfigurationClaim] = new Dictionary<string, object>
            {
                ["domain"] = new Uri(tool.BaseUrl).Authority,
                ["target_link_uri"] = tool.BaseUrl + "/lti/launch",
                ["description"] = tool.Description,
                ["custom_parameters"] = tool.CustomParameters,
                ["claims"] = new[] { "iss", "sub", "name", "given_name", "family_name", "email" },
                ["messages"] = new object[]
                {
                    new Dictionary<string, object> { ["type"] = "LtiResourceLinkRequest", ["label"] = tool.ClientName },
                    new Dictionary<string, object>
                    {
                        ["type"] = "LtiDeepLinkingRequest",
                        ["target_link_uri"] = tool.BaseUrl + "/lti/launch",
                        ["label"] = tool.ClientName,
                    },
                },
            },
        };

        using var request = new HttpRequestMessage(HttpMethod.Post, platform.RegistrationEndpoint) { Content = JsonContent.Create(body) };
        if (!string.IsNullOrEmpty(registrationToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", registrationToken);
        }

        using var response = await SendAsync(request, "registration endpoint", cancellationToken);
        var registered = await ReadJsonAsync<ClientRegistrationResponse>(response, "registration response", cancellationToken);
        if (string.IsNullOrWhiteSpace(registered.ClientId))
        {
            throw new DynamicRegistrationException("The platform's registration response carried no client_id.");
        }

        var deploymentId = registered.ToolConfiguration?.DeploymentId;
        if (string.IsNullOrWhiteSpace(deploymentId))
        {
            throw new DynamicRegistrationException("The platform's registration response carried no deployment_id.");
        }

        return new DynamicRegistrationResult(platform, registered.ClientId, deploymentId);
    }

    private async Task<PlatformConfiguration> ReadConfigurationAsync(Uri url, string? registrationToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (!string.IsNullOrEmpty(registrationToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", registrationToken);
        }

        using var response = await SendAsync(request, "OpenID configuration", cancellationToken);
        var configuration = await ReadJsonAsync<OpenIdConfigurationDocument>(response, "OpenID configuration", cancellationToken);
        var issuer = Required(configuration.Issuer, "issuer");
        var registrationEndpoint = Required(configuration.RegistrationEndpoint, "registration_endpoint");
        var platform = new PlatformConfiguration(
            issuer,
            Required(configuration.AuthorizationEndpoint, "authorization_endpoint"),
            Required(configuration.TokenEndpoint, "token_endpoint"),
            Required(configuration.JwksUri, "jwks_uri"),
            registrationEndpoint,
            configuration.ScopesSupported ?? [],
            configuration.PlatformConfiguration?.ProductFamilyCode);

        foreach (var (value, name) in new[] { (issuer, "issuer"), (platform.AuthorizationEndpoint, "authorization_endpoint"), (platform.TokenEndpoint, "token_endpoint"), (platform.JwksUri, "jwks_uri"), (registrationEndpoint, "registration_endpoint") })
        {
            RequireSafeUrl(Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null, name);
        }

        // The one-time token must only ever go back to the host that handed out the configuration.
        if (!string.Equals(new Uri(registrationEndpoint).Host, url.Host, StringComparison.OrdinalIgnoreCase))
        {
            throw new DynamicRegistrationException("The platform's registration endpoint is on a different host from its OpenID configuration.");
        }

        if (configuration.IdTokenSigningAlgValuesSupported is { Count: > 0 } algs && !algs.Contains("RS256"))
        {
            throw new DynamicRegistrationException("The platform does not sign id_tokens with RS256.");
        }

        return platform;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new DynamicRegistrationException($"The platform's {what} could not be reached.");
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new DynamicRegistrationException($"The platform's {what} answered {status}; the registration link may have expired or been used already.");
        }

        return response;
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                ?? throw new DynamicRegistrationException($"The platform's {what} was empty.");
        }
        catch (JsonException)
        {
            throw new DynamicRegistrationException($"The platform's {what} was not valid JSON.");
        }
    }

    private void RequireSafeUrl(Uri? url, string name)
    {
        if (url is null || !(url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && options.Value.AllowInsecurePlatformUrls)))
        {
            throw new DynamicRegistrationException($"The platform's {name} must be an https address.");
        }
    }

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new DynamicRegistrationException($"The platform's OpenID configuration has no {name}.") : value;

    private sealed record OpenIdConfigurationDocument(
        [property: JsonPropertyName("issuer")] string? Issuer,
        [property: JsonPropertyName("authorization_endpoint")] string? AuthorizationEndpoint,
        [property: JsonPropertyName("token_endpoint")] string? TokenEndpoint,
        [property: JsonPropertyName("jwks_uri")] string? JwksUri,
        [property: JsonPropertyName("registration_endpoint")] string? RegistrationEndpoint,
        [property: JsonPropertyName("scopes_supported")] List<string>? ScopesSupported,
        [property: JsonPropertyName("id_token_signing_alg_values_supported")] List<string>? IdTokenSigningAlgValuesSupported,
        [property: JsonPropertyName(PlatformConfigurationClaim)] PlatformConfigurationDocument? PlatformConfiguration);

    private sealed record PlatformConfigurationDocument([property: JsonPropertyName("product_family_code")] string? ProductFamilyCode);

    private sealed record ClientRegistrationResponse(
        [property: JsonPropertyName("client_id")] string? ClientId,
        [property: JsonPropertyName(ToolConfigurationClaim)] ToolConfigurationDocument? ToolConfiguration);

    private sealed record ToolConfigurationDocument([property: JsonPropertyName("deployment_id")] string? DeploymentId);
}

/// <summary>Where the host keeps a platform that registered itself. Refuses one that is already registered.</summary>
public interface IDynamicRegistrationStore
{
    /// <returns>False when this issuer and client id are already registered (nothing is changed then).</returns>
    Task<bool> TryAddAsync(DynamicRegistrationResult registration, CancellationToken cancellationToken);

    /// <summary>
    /// Whether the opaque <c>invitation</c> parameter of the registration address is still good. Checked before
    /// anything is sent to the platform; a store that issues no invitations refuses them all.
    /// </summary>
    Task<bool> AcceptsInvitationAsync(string invitation, CancellationToken cancellationToken) => Task.FromResult(false);

    /// <summary>Whether any platform is registered yet (the first registration of an install needs no invitation).</summary>
    Task<bool> HasPlatformsAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>Adds a registration made through an invitation (null: none), which says where the store keeps it.</summary>
    Task<bool> TryAddAsync(DynamicRegistrationResult registration, string? invitation, CancellationToken cancellationToken) =>
        invitation is null ? TryAddAsync(registration, cancellationToken) : Task.FromResult(false);
}
