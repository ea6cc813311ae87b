using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Sandbox;

/// <summary>Builds and signs the LTI 1.3 id_token of a resource link launch, as a real platform would.</summary>
internal sealed class SandboxIdTokenFactory(SandboxLms lms, TimeProvider timeProvider)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private const string ResourceLinkTitle = "Microcredentials";
    private const string PlatformVersion = "1.0";

    private readonly JsonWebTokenHandler handler = new();

    public string Create(SandboxPerson person, SandboxCourse course, SandboxLaunchHint hint, string nonce)
    {
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var platform = lms.Platform;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = platform.Issuer,
            // A single string, not an array: the simplest form the spec allows, and what most platforms send.
            Audience = platform.ClientId,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            TokenType = "JWT",
            SigningCredentials = new SigningCredentials(lms.SigningKey, SecurityAlgorithms.RsaSha256),
            // Nested values are dictionaries and arrays so they are written as JSON objects and arrays, not strings.
            Claims = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                [JwtRegisteredClaimNames.Sub] = person.Id,
                [JwtRegisteredClaimNames.Nonce] = nonce,
                [JwtRegisteredClaimNames.Name] = person.Name,
                [JwtRegisteredClaimNames.GivenName] = person.GivenName,
                [JwtRegisteredClaimNames.FamilyName] = person.FamilyName,
                [JwtRegisteredClaimNames.Email] = person.Email,
                [SandboxLtiClaims.MessageType] = hint.MessageType,
                [SandboxLtiClaims.Version] = SandboxLtiClaims.LtiVersion,
                [SandboxLtiClaims.DeploymentId] = platform.DeploymentId,
                [SandboxLtiClaims.TargetLinkUri] = lms.ToolLaunchUrl,
                [SandboxLtiClaims.ResourceLink] = Json(("id", "rl-" + course.Id), ("title", ResourceLinkTitle)),
                [SandboxLtiClaims.Roles] = person.Roles.ToArray(),
                [SandboxLtiClaims.Context] = new Dictionary<string, object>(StringComparer.Ordinal)
                {
                    ["id"] = course.Id,
                    ["label"] = course.Label,
                    ["title"] = course.Title,
                    ["type"] = new[] { SandboxLtiRoles.CourseOffering },
                },
                [SandboxLtiClaims.ToolPlatform] = Json(
                    ("guid", SandboxSeed.PlatformGuid),
                    ("name", SandboxSeed.DistrictName),
                    ("product_family_code", "sandbox"),
                    ("version", PlatformVersion)),
                [SandboxLtiClaims.LaunchPresentation] = Json(
                    ("document_target", hint.InFrame ? "iframe" : "window"),
                    ("return_url", lms.BaseUrl + SandboxLms.PathPrefix),
                    ("locale", "en")),
                [SandboxLtiClaims.Custom] = SandboxSeed.CustomParametersFor(person)
                    .ToDictionary(kv => kv.Key, kv => (object)kv.Value, StringComparer.Ordinal),
            },
        };
        return handler.CreateToken(descriptor);
    }

    private static Dictionary<string, object> Json(params (string Name, string Value)[] members) =>
        members.ToDictionary(m => m.Name, m => (object)m.Value, StringComparer.Ordinal);
}
