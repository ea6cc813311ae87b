using System.Security.Cryptography;
using System.Text;
using LtiMicroCred.Lti.Launch;
using LtiMicroCred.Lti.Platforms;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Lti.Login;

/// <summary>The parameters of an OIDC third-party login initiation, as the platform sent them (GET or POST).</summary>
public sealed record LoginInitiationRequest(
    string? Issuer,
    string? LoginHint,
    string? TargetLinkUri,
    string? LtiMessageHint,
    string? ClientId,
    string? DeploymentId,
    string? StorageTarget);

/// <summary>Where to send the browser next, and the secret that binds the launch to this browser.</summary>
public sealed record LoginRedirect(Uri AuthorizationUrl, string State, string BrowserBindingSecret, string? StorageTarget);

/// <summary>Step one of the LTI 1.3 launch: checks the login initiation and prepares the authentication request.</summary>
public sealed class OidcLoginService(
    IPlatformRegistry platforms,
    ILaunchStateStore states,
    IOptions<LtiOptions> options,
    TimeProvider timeProvider)
{
    /// <param name="request">The login initiation parameters.</param>
    /// <param name="redirectUri">The tool's launch URL, registered with the platform as a redirect URI.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    public async Task<LoginRedirect> BeginAsync(LoginInitiationRequest request, Uri redirectUri, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Issuer))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MissingIssuer);
        }

        if (string.IsNullOrWhiteSpace(request.LoginHint))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MissingLoginHint, request.Issuer);
        }

        if (string.IsNullOrWhiteSpace(request.TargetLinkUri))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MissingTargetLinkUri, request.Issuer);
        }

        // The platform may only send the browser back to this tool: never an open redirect elsewhere.
        if (!Uri.TryCreate(request.TargetLinkUri, UriKind.Absolute, out var target)
            || !string.Equals(target.Authority, redirectUri.Authority, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(target.Scheme, redirectUri.Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.InvalidTargetLinkUri, request.Issuer);
        }

        var candidates = await platforms.FindAsync(request.Issuer, NullIfBlank(request.ClientId), cancellationToken);
        var platform = candidates.Count switch
        {
            0 => throw new LaunchRejectedException(
                await platforms.IsDisabledAsync(request.Issuer, NullIfBlank(request.ClientId), cancellationToken)
                    ? LaunchRejectionReason.PlatformDisabled
                    : LaunchRejectionReason.UnknownPlatform,
                request.Issuer),
            1 => candidates[0],
            _ => throw new LaunchRejectedException(LaunchRejectionReason.AmbiguousPlatform, request.Issuer),
        };

        if (NullIfBlank(request.DeploymentId) is { } deploymentId
            && !await platforms.IsDeploymentRegisteredAsync(platform.Id, deploymentId, cancellationToken))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.UnknownDeployment, request.Issuer);
        }

        var now = timeProvider.GetUtcNow();
        var state = NewSecret();
        var nonce = NewSecret();
        var binding = NewSecret();
        await states.SaveAsync(
            new LaunchState(state, nonce, platform.Id, request.TargetLinkUri, HashBinding(binding), NullIfBlank(request.StorageTarget),
                now, now + options.Value.LaunchStateLifetime),
            cancellationToken);

        var parameters = new Dictionary<string, string?>
        {
            ["scope"] = "openid",
            ["response_type"] = "id_token",
            ["response_mode"] = "form_post",
            ["prompt"] = "none",
            ["client_id"] = platform.ClientId,
            ["redirect_uri"] = redirectUri.ToString(),
            ["login_hint"] = request.LoginHint,
            ["state"] = state,
            ["nonce"] = nonce,
        };
        if (!string.IsNullOrEmpty(request.LtiMessageHint))
        {
            parameters["lti_message_hint"] = request.LtiMessageHint;
        }

        var url = new Uri(QueryHelpers.AddQueryString(platform.AuthorizationEndpoint, parameters));
        return new LoginRedirect(url, state, binding, NullIfBlank(request.StorageTarget));
    }

    /// <summary>The stored form of a browser binding secret; the secret itself never reaches the database.</summary>
    public static string HashBinding(string secret) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string NewSecret() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
