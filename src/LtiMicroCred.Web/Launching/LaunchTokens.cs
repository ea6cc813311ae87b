using System.Security.Claims;
using LtiMicroCred.Launches;
using LtiMicroCred.Lti.Keys;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Web.Launching;

/// <summary>
/// After a launch, pages are authorized by a short-lived launch token (a JWT the tool signs for itself with an HMAC
/// key derived from its current key, see <see cref="ToolKeySet.GetSelfSigningCredentialsAsync"/>), carried
/// in the Authorization header, the `lt` query parameter or the `lt` form field. No third-party cookie is needed,
/// so the tool works inside an LMS iframe where the browser blocks them.
/// </summary>
public static class LaunchTokenDefaults
{
    public const string Scheme = "LaunchToken";
    public const string Issuer = "ltimicrocred";
    public const string Audience = "ltimicrocred-pages";
    public const string QueryName = "lt";
    public const string TenantClaim = "tid";
    public const string CourseClaim = "cid";
    public const string CourseTitleClaim = "course";
    public const string RolesClaim = "roles";

    /// <summary>The deep linking request a token was issued for (JSON of <see cref="DeepLinkingContext"/>), when it was one.</summary>
    public const string DeepLinkingClaim = "dl";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);
}

public sealed class LaunchTokenIssuer(ToolKeySet keys, TimeProvider timeProvider)
{
    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<string> IssueAsync(LaunchSession session, CancellationToken cancellationToken, DeepLinkingContext? deepLinking = null)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Sub] = session.PersonId.ToString(),
            [JwtRegisteredClaimNames.Name] = session.PersonName,
            [LaunchTokenDefaults.TenantClaim] = session.TenantId.ToString(),
            [LaunchTokenDefaults.RolesClaim] = session.Roles.ToString(),
        };
        if (session.CourseId is { } courseId)
        {
            claims[LaunchTokenDefaults.CourseClaim] = courseId.ToString();
            claims[LaunchTokenDefaults.CourseTitleClaim] = session.CourseTitle ?? string.Empty;
        }

        if (deepLinking is not null)
        {
            // Signed with the token, so the page can trust where it posts back and what it echoes.
            claims[LaunchTokenDefaults.DeepLinkingClaim] = System.Text.Json.JsonSerializer.Serialize(deepLinking);
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = LaunchTokenDefaults.Issuer,
            Audience = LaunchTokenDefaults.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + LaunchTokenDefaults.Lifetime,
            Claims = claims,
            SigningCredentials = await keys.GetSelfSigningCredentialsAsync(cancellationToken),
        });
    }
}

/// <summary>Feeds JwtBearer the tool's self-issued token keys, so launch tokens survive a key rotation.</summary>
public sealed class ToolKeyConfigurationManager(ToolKeySet keys) : IConfigurationManager<OpenIdConnectConfiguration>
{
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var configuration = new OpenIdConnectConfiguration { Issuer = LaunchTokenDefaults.Issuer };
        foreach (var key in await keys.GetSelfValidationKeysAsync(cancel))
        {
            configuration.SigningKeys.Add(key);
        }

        return configuration;
    }

    public void RequestRefresh() => keys.Invalidate();
}

/// <summary>Typed view of the signed-in launch, for page models.</summary>
public sealed record LaunchUser(Guid PersonId, Guid TenantId, string Name, Guid? CourseId, string? CourseTitle, People.ProductRoles Roles)
{
    public static LaunchUser? From(ClaimsPrincipal principal)
    {
        if (!Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var personId)
            || !Guid.TryParse(principal.FindFirstValue(LaunchTokenDefaults.TenantClaim), out var tenantId))
        {
            return null;
        }

        var roles = Enum.TryParse<People.ProductRoles>(principal.FindFirstValue(LaunchTokenDefaults.RolesClaim), out var parsed) ? parsed : People.ProductRoles.None;
        Guid? courseId = Guid.TryParse(principal.FindFirstValue(LaunchTokenDefaults.CourseClaim), out var c) ? c : null;
        return new LaunchUser(personId, tenantId, principal.FindFirstValue(JwtRegisteredClaimNames.Name) ?? string.Empty,
            courseId, principal.FindFirstValue(LaunchTokenDefaults.CourseTitleClaim), roles);
    }
}
