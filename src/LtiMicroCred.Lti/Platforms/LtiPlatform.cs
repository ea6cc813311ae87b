namespace LtiMicroCred.Lti.Platforms;

/// <summary>A platform (LMS) registered with the tool: an issuer and the client id it gave the tool.</summary>
public sealed record LtiPlatform(
    Guid Id,
    string Issuer,
    string ClientId,
    string AuthorizationEndpoint,
    string TokenEndpoint,
    string JwksUrl);

/// <summary>The tool's registry of platforms and their deployments. The host decides where it is kept.</summary>
public interface IPlatformRegistry
{
    /// <summary>Enabled platforms with this issuer, narrowed to one client id when the platform sent it.</summary>
    Task<IReadOnlyList<LtiPlatform>> FindAsync(string issuer, string? clientId, CancellationToken cancellationToken);

    Task<LtiPlatform?> GetAsync(Guid platformId, CancellationToken cancellationToken);

    Task<bool> IsDeploymentRegisteredAsync(Guid platformId, string deploymentId, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a registration with this issuer (and client id, when sent) exists but is disabled, so a refused login
    /// can say so rather than "not registered". Registries without a notion of disabling keep the default.
    /// </summary>
    Task<bool> IsDisabledAsync(string issuer, string? clientId, CancellationToken cancellationToken) => Task.FromResult(false);
}
