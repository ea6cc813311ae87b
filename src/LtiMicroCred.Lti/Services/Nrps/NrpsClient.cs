using System.Text.Json;
using System.Text.Json.Serialization;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Lti.Roles;

namespace LtiMicroCred.Lti.Services.Nrps;

/// <summary>One member of a context, as the Names and Role Provisioning Service 2.0 lists them.</summary>
public sealed record Member
{
    [JsonPropertyName("user_id")] public required string UserId { get; init; }
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("given_name")] public string? GivenName { get; init; }
    [JsonPropertyName("family_name")] public string? FamilyName { get; init; }
    [JsonPropertyName("middle_name")] public string? MiddleName { get; init; }
    [JsonPropertyName("email")] public string? Email { get; init; }
    [JsonPropertyName("picture")] public string? Picture { get; init; }
    [JsonPropertyName("lis_person_sourcedid")] public string? LisPersonSourcedId { get; init; }
    [JsonPropertyName("lti11_legacy_user_id")] public string? Lti11LegacyUserId { get; init; }
    [JsonPropertyName("roles")] public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>
    /// The launch claims the member would get, when the request named a resource link (<c>rlid</c>): Canvas puts
    /// <c>canvas_user_id</c> and custom parameters here, which is how a roster maps members to Canvas users.
    /// Kept as raw JSON because each platform sends its own claims.
    /// </summary>
    [JsonPropertyName("message")] public IReadOnlyList<JsonElement>? Message { get; init; }

    /// <summary>Member fields the specification does not name, kept so nothing a platform adds is lost.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? Extensions { get; init; }

    /// <summary>The roles parsed the same way as a launch's, so the product maps both with one table.</summary>
    [JsonIgnore] public IReadOnlyList<LtiRole> ParsedRoles => LtiRole.ParseAll(Roles);

    /// <summary>Members without a status are active (the spec's default).</summary>
    [JsonIgnore] public bool IsActive => Status is null or "Active";
}

/// <summary>The context the memberships belong to.</summary>
public sealed record MembershipContext(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("label")] string? Label,
    [property: JsonPropertyName("title")] string? Title);

/// <summary>One page of the membership container.</summary>
public sealed record MembershipContainer(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("context")] MembershipContext? Context,
    [property: JsonPropertyName("members")] IReadOnlyList<Member> Members);

/// <summary>Filters of the memberships list; all optional.</summary>
public sealed record MembershipQuery(string? Role = null, string? ResourceLinkId = null, int? Limit = null);

/// <summary>Names and Role Provisioning Services 2.0: the roster of a course, page by page.</summary>
public sealed class NrpsClient(LtiServiceHttp http)
{
    private static readonly string[] Scopes = [LtiScopes.ContextMembershipReadOnly];

    public IAsyncEnumerable<Member> ListMembersAsync(
        LtiPlatform platform, string contextMembershipsUrl, MembershipQuery? query = null, CancellationToken cancellationToken = default)
    {
        var url = Ags.AgsClient.WithQuery(contextMembershipsUrl, [
            ("role", query?.Role),
            ("rlid", query?.ResourceLinkId),
            ("limit", query?.Limit?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ]);
        return http.PagesAsync(platform, Scopes, url, LtiMediaTypes.MembershipContainer, ReadPage, cancellationToken);
    }

    private static IEnumerable<Member> ReadPage(string body) =>
        JsonSerializer.Deserialize<MembershipContainer>(body, LtiJson.Options)?.Members ?? throw new JsonException("No members.");
}
