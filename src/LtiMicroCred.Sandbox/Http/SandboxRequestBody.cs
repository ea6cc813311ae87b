using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace LtiMicroCred.Sandbox.Http;

/// <summary>
/// Reads a Canvas REST request body, which Canvas accepts as JSON or as a form with bracketed names
/// (<c>comment[text_comment]</c>), into one flat dictionary keyed the form way, so each handler reads one shape.
/// </summary>
internal static class SandboxRequestBody
{
    /// <summary>Bodies beyond this are refused; nothing the sandbox accepts comes close.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <returns>The fields, or null when the body is neither a form nor a JSON object (or is too large).</returns>
    public static async Task<Dictionary<string, string>?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }

        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return form.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal);
        }

        if (!SandboxJson.HasMediaType(request, SandboxMediaTypes.Json))
        {
            // No body at all is an empty request, which the handler then judges field by field.
            return request.ContentLength is null or 0 && string.IsNullOrEmpty(request.ContentType)
                ? new Dictionary<string, string>(StringComparer.Ordinal)
                : null;
        }

        var json = await ReadJsonAsync(request, cancellationToken);
        if (json is not { ValueKind: JsonValueKind.Object } root)
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        Flatten(root, null, fields);
        return fields;
    }

    /// <summary>Parses a JSON body (any media type), or null when it is not JSON or too large.</summary>
    public static async Task<JsonElement?> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray());
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Flatten(JsonElement element, string? prefix, Dictionary<string, string> fields)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, prefix is null ? property.Name : prefix + "[" + property.Name + "]", fields);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, prefix + "[" + index++.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]", fields);
                }

                break;
            case JsonValueKind.String:
                fields[prefix ?? string.Empty] = element.GetString()!;
                break;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                break;
            default:
                // Numbers and booleans keep their JSON spelling, which is also how a form would send them.
                fields[prefix ?? string.Empty] = element.GetRawText();
                break;
        }
    }
}
