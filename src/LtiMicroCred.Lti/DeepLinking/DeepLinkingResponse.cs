using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using LtiMicroCred.Lti.Claims;
using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Lti.Services;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Lti.DeepLinking;

/// <summary>The gradebook column a platform should make for a placed link (LTI Deep Linking 2.0, "lineItem").</summary>
public sealed record DeepLinkLineItem(
    [property: JsonPropertyName("scoreMaximum")] double ScoreMaximum,
    [property: JsonPropertyName("label")] string? Label = null,
    [property: JsonPropertyName("resourceId")] string? ResourceId = null,
    [property: JsonPropertyName("tag")] string? Tag = null,
    [property: JsonPropertyName("gradesReleased")] bool? GradesReleased = null);

/// <summary>An "ltiResourceLink" content item: a link that launches the tool, with its own custom parameters.</summary>
public sealed record LtiResourceLinkItem
{
    [JsonPropertyName("type")] public string Type { get; init; } = "ltiResourceLink";
    [JsonPropertyName("title")] public string? Title { get; init; }
    [JsonPropertyName("text")] public string? Text { get; init; }

    /// <summary>Where the link launches; when null the platform uses the tool's default launch URL.</summary>
    [JsonPropertyName("url")] public string? Url { get; init; }
    [JsonPropertyName("custom")] public IReadOnlyDictionary<string, string>? Custom { get; init; }
    [JsonPropertyName("lineItem")] public DeepLinkLineItem? LineItem { get; init; }
}

/// <summary>The content items could not be returned in the form the platform asked for.</summary>
public sealed class DeepLinkingNotAcceptedException(string message) : Exception(message);

/// <summary>
/// Builds the signed LtiDeepLinkingResponse the tool posts back to the platform's deep_link_return_url, honouring what
/// the request said it accepts (types, several items or one, line items) and echoing its opaque data.
/// </summary>
public sealed class DeepLinkingResponseBuilder(ToolKeySet toolKeys, TimeProvider timeProvider)
{
    public const string FormField = "JWT";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private const string ContentItemsClaim = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items";
    private const string DataClaim = "https://purl.imsglobal.org/spec/lti-dl/claim/data";
    private const string MessageClaim = "https://purl.imsglobal.org/spec/lti-dl/claim/msg";
    private const string ErrorMessageClaim = "https://purl.imsglobal.org/spec/lti-dl/claim/errormsg";
    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>Checks the items against the request's settings; throws <see cref="DeepLinkingNotAcceptedException"/> when the platform would refuse them.</summary>
    public static void EnsureAccepted(DeepLinkingSettingsClaim settings, IReadOnlyList<LtiResourceLinkItem> items)
    {
        if (items.Count > 0 && !settings.AcceptTypes.Contains("ltiResourceLink", StringComparer.Ordinal))
        {
            throw new DeepLinkingNotAcceptedException("This place in the LMS does not take links that open the tool.");
        }

        if (items.Count > 1 && !settings.AcceptMultiple)
        {
            throw new DeepLinkingNotAcceptedException("This place in the LMS takes one item at a time; choose just one.");
        }

        if (!settings.AcceptLineItem && items.Any(i => i.LineItem is not null))
        {
            throw new DeepLinkingNotAcceptedException("This place in the LMS does not make gradebook columns; choose items without a grade.");
        }
    }

    /// <summary>The response JWT. An empty list tells the platform the user placed nothing (cancelled).</summary>
    public async Task<string> BuildAsync(
        LtiPlatform platform,
        string deploymentId,
        DeepLinkingSettingsClaim settings,
        IReadOnlyList<LtiResourceLinkItem> items,
        string? message = null,
        string? errorMessage = null,
        CancellationToken cancellationToken = default)
    {
        EnsureAccepted(settings, items);
        var now = timeProvider.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Nonce] = Guid.NewGuid().ToString("N"),
            [LtiClaimNames.MessageType] = "LtiDeepLinkingResponse",
            [LtiClaimNames.Version] = "1.3.0",
            [LtiClaimNames.DeploymentId] = deploymentId,
            // Items as JSON nodes, so the handler writes them as objects, not strings.
            [ContentItemsClaim] = JsonSerializer.SerializeToNode(items, LtiJson.Options)!,
        };
        if (settings.Data is { } data)
        {
            claims[DataClaim] = data;
        }

        if (message is not null)
        {
            claims[MessageClaim] = message;
        }

        if (errorMessage is not null)
        {
            claims[ErrorMessageClaim] = errorMessage;
        }

        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = platform.ClientId,
            Audience = platform.Issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            TokenType = "JWT",
            Claims = claims.ToDictionary(c => c.Key, c => c.Value is JsonNode node ? ToPlain(node) : c.Value, StringComparer.Ordinal),
            SigningCredentials = await toolKeys.GetSigningCredentialsAsync(cancellationToken),
        });
    }

    // JsonWebTokenHandler writes dictionaries and lists as JSON objects and arrays.
    private static object ToPlain(JsonNode node) => node switch
    {
        JsonObject o => o.ToDictionary(p => p.Key, p => p.Value is null ? null! : ToPlain(p.Value), StringComparer.Ordinal),
        JsonArray a => a.Select(v => v is null ? null! : ToPlain(v)).ToList(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        _ => node.ToJsonString(),
    };
}
