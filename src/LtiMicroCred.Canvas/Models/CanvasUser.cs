using System.Text.Json;
using System.Text.Json.Serialization;

namespace LtiMicroCred.Canvas.Models;

/// <summary>The user a submission belongs to (<c>include[]=user</c>).</summary>
public sealed record CanvasUser
{
    public long Id { get; init; }

    public string? Name { get; init; }

    public string? SortableName { get; init; }

    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public string? ShortName { get; init; }

    public string? SisUserId { get; init; }

    public string? IntegrationId { get; init; }

    public string? LoginId { get; init; }

    public string? AvatarUrl { get; init; }

    public string? Email { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalFields { get; set; }
}

/// <summary>The short form of a user Canvas shows next to a comment (UserDisplay).</summary>
public sealed record CanvasUserDisplay
{
    public long? Id { get; init; }

    public string? ShortName { get; init; }

    public string? DisplayName { get; init; }

    public string? AvatarImageUrl { get; init; }

    public string? HtmlUrl { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalFields { get; set; }
}
