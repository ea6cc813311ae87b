using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace LtiMicroCred.Sandbox.Http;

/// <summary>
/// JSON answers in the two styles Canvas has: LTI Advantage serializers drop null members, REST serializers write
/// them out. Both error envelopes are here too, because tools branch on their exact shape.
/// </summary>
internal static class SandboxJson
{
    public const string NotFoundMessage = "The specified resource does not exist.";

    // Canvas writes URLs and media types unescaped ("+", "&"); the answers are JSON, never HTML, so that is safe here.
    private static readonly JsonSerializerOptions Unindented = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Ok(JsonNode? body, string mediaType, int statusCode = StatusCodes.Status200OK) =>
        Results.Content(body?.ToJsonString(Unindented) ?? "null", SandboxMediaTypes.WithCharset(mediaType), null, statusCode);

    /// <summary>An object with the null members left out, as Canvas's LTI serializers do with <c>.compact</c>.</summary>
    public static JsonObject Compact(params (string Name, JsonNode? Value)[] members)
    {
        var json = new JsonObject();
        foreach (var (name, value) in members)
        {
            if (value is not null)
            {
                json[name] = value;
            }
        }

        return json;
    }

    /// <summary>An object with every member written, nulls included, as Canvas's REST serializers do.</summary>
    public static JsonObject Full(params (string Name, JsonNode? Value)[] members)
    {
        var json = new JsonObject();
        foreach (var (name, value) in members)
        {
            json[name] = value;
        }

        return json;
    }

    public static JsonArray Array(IEnumerable<JsonNode?> items) => new([.. items]);

    public static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode)JsonValue.Create(i))]);

    /// <summary>The 401 of the LTI Advantage routes: errors is an object.</summary>
    public static IResult LtiUnauthorized(string message) =>
        Ok(new JsonObject { ["errors"] = new JsonObject { ["type"] = "unauthorized", ["message"] = message } }, SandboxMediaTypes.Json,
            StatusCodes.Status401Unauthorized);

    /// <summary>Any other refusal of an LTI Advantage route with the same object envelope (400, 422).</summary>
    public static IResult LtiError(int statusCode, string type, string message) =>
        Ok(new JsonObject { ["errors"] = new JsonObject { ["type"] = type, ["message"] = message } }, SandboxMediaTypes.Json, statusCode);

    /// <summary>The 404 of both API families: errors is an array.</summary>
    public static IResult NotFound() =>
        Ok(new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = NotFoundMessage }) }, SandboxMediaTypes.Json,
            StatusCodes.Status404NotFound);

    /// <summary>A REST refusal with Canvas's array envelope.</summary>
    public static IResult RestError(int statusCode, string message) =>
        Ok(new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = message }) }, SandboxMediaTypes.Json, statusCode);

    /// <summary>What Canvas's render_unauthorized_action answers when the user may not do this.</summary>
    public static IResult RestForbiddenAction() =>
        Ok(new JsonObject
        {
            ["status"] = "unauthorized",
            ["errors"] = new JsonArray(new JsonObject { ["message"] = "user not authorized to perform that action" }),
        }, SandboxMediaTypes.Json, StatusCodes.Status401Unauthorized);

    /// <summary>An OAuth 2 error (RFC 6749 section 5.2).</summary>
    public static IResult OAuthError(HttpContext context, string error, string description, int statusCode = StatusCodes.Status400BadRequest)
    {
        context.Response.Headers.CacheControl = "no-store";
        return Ok(new JsonObject { ["error"] = error, ["error_description"] = description }, SandboxMediaTypes.Json, statusCode);
    }

    /// <summary>Whether the request body was declared as <paramref name="mediaType"/> (parameters such as charset ignored).</summary>
    public static bool HasMediaType(HttpRequest request, string mediaType)
    {
        var contentType = request.ContentType;
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var bare = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return string.Equals(bare, mediaType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Canvas's timestamp format: seconds, UTC, with a Z.</summary>
    public static JsonNode? Time(DateTimeOffset? value) =>
        value is { } v ? JsonValue.Create(v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)) : null;
}
