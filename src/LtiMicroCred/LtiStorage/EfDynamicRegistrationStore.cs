using LtiMicroCred.Lti.Registration;
using LtiMicroCred.Tenancy;

namespace LtiMicroCred.LtiStorage;

/// <summary>A self-registered platform becomes a new tenant of its own until a district admin says otherwise.</summary>
public sealed class EfDynamicRegistrationStore(RegisterPlatform register) : IDynamicRegistrationStore
{
    public async Task<bool> TryAddAsync(DynamicRegistrationResult registration, CancellationToken cancellationToken)
    {
        var platform = registration.Platform;
        var host = new Uri(platform.Issuer).Host;
        var added = await register.TryAddNewAsync(
            new RegisterPlatformCommand(
                $"District at {host}",
                platform.ProductFamilyCode is { Length: > 0 } family ? $"{family} ({host})" : host,
                platform.Issuer,
                registration.ClientId,
                platform.AuthorizationEndpoint,
                platform.TokenEndpoint,
                platform.JwksUri,
                registration.DeploymentId),
            cancellationToken);
        return added is not null;
    }
}
