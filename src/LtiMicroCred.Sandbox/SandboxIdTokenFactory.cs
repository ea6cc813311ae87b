using LtiMicroCred.Sandbox.DeepLinking;
using LtiMicroCred.Sandbox.Store;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Sandbox;

/// <summary>
/// Builds and signs the LTI 1.3 id_token of a resource link launch or a deep linking request, as a real platform
/// would, with the AGS and NRPS service claims that tell the tool where this course's services are.
/// </summary>
internal sealed class SandboxIdTokenFactory(SandboxLms lms, SandboxStore store, SandboxDeepLinkingData deepLinkingData, TimeProvider timeProvider)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private const string PlatformVersion = "1.0";

    private readonly JsonWebTokenHandler handler = new();

    public string Create(SandboxAuthorizationRequest request)
    {
        var (person, course, hint) = (request.Person, request.Course, request.Hint);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var platform = lms.Platform;
        // Nested values are dictionaries and arrays so they are written as JSON objects and arrays, not strings.
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Sub] = person.Id,
            [JwtRegisteredClaimNames.Nonce] = request.Nonce,
            [JwtRegisteredClaimNames.Name] = person.Name,
            [JwtRegisteredClaimNames.GivenName] = person.GivenName,
            [JwtRegisteredClaimNames.FamilyName] = person.FamilyName,
            [JwtRegisteredClaimNames.Email] = person.Email,
            [SandboxLtiClaims.MessageType] = hint.MessageType,
            [SandboxLtiClaims.Version] = SandboxLtiClaims.LtiVersion,
            [SandboxLtiClaims.DeploymentId] = platform.DeploymentId,
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
                ("return_url", lms.Root),
                ("locale", "en")),
            [SandboxLtiClaims.NrpsService] = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["context_memberships_url"] = lms.MembershipsUrl(course),
                ["service_versions"] = new[] { "2.0" },
            },
        };

        var ags = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["scope"] = SandboxScopes.Ags.ToArray(),
            ["lineitems"] = lms.LineItemsUrl(course),
        };
        claims[SandboxLtiClaims.AgsEndpoint] = ags;

        // Seeded parameters first, then Canvas's substitutions, then the link's own: the most specific wins, as in Canvas.
        var custom = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in SandboxSeed.CustomParametersFor(person).Concat(SandboxSeed.CanvasSubstitutionsFor(person, course)))
        {
            custom[name] = value;
        }

        if (request.ResourceLink is { } link)
        {
            claims[SandboxLtiClaims.TargetLinkUri] = link.Url ?? lms.ToolLaunchUrl;
            var resourceLink = new Dictionary<string, object>(StringComparer.Ordinal) { ["id"] = link.Id, ["title"] = link.Title };
            if (link.Text is not null)
            {
                resourceLink["description"] = link.Text;
            }

            claims[SandboxLtiClaims.ResourceLink] = resourceLink;
            foreach (var (name, value) in link.Custom)
            {
                custom[name] = value;
            }

            // Canvas names the assignment's line item when the link is graded; the first one bound to the link is it.
            if (store.LineItems(course.Id).FirstOrDefault(li => li.ResourceLinkId == link.Id) is { } lineItem)
            {
                ags["lineitem"] = lms.LineItemUrl(course, lineItem.Id);
            }
        }
        else
        {
            claims[SandboxLtiClaims.TargetLinkUri] = lms.ToolDeepLinkingUrl;
            claims[SandboxLtiClaims.DeepLinkingSettings] = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["deep_link_return_url"] = lms.Root + SandboxLms.DeepLinkingReturnPath,
                ["accept_types"] = new[] { "ltiResourceLink" },
                ["accept_presentation_document_targets"] = new[] { "iframe", "window" },
                ["accept_multiple"] = true,
                ["accept_lineitem"] = true,
                ["auto_create"] = true,
                ["title"] = "Add to " + course.Title,
                ["text"] = "Choose microcredential activities to add to the course.",
                ["data"] = deepLinkingData.Create(person, course),
            };
        }

        claims[SandboxLtiClaims.Custom] = custom;
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
            Claims = claims,
        };
        return handler.CreateToken(descriptor);
    }

    private static Dictionary<string, object> Json(params (string Name, string Value)[] members) =>
        members.ToDictionary(m => m.Name, m => (object)m.Value, StringComparer.Ordinal);
}
