using System.Text.Json;

namespace LtiMicroCred.Canvas.Http;

/// <summary>
/// Pulls the human-readable message out of a Canvas error body. Canvas has several shapes:
/// <c>{"errors":[{"message":"..."}]}</c>, <c>{"errors":{"type":..,"message":".."}}</c>, Rails validation errors
/// <c>{"errors":{"title":[{"message":"blank"}]}}</c>, <c>{"message":"..."}</c> and OAuth's <c>{"error":..}</c>.
/// Only these fields are kept: the rest of a body can hold student data and is never surfaced.
/// </summary>
internal static class CanvasErrorMessage
{
    private const int MaxLength = 500;

    public static string? Read(string? body, string? contentType)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        var trimmed = body.Trim();
        if (trimmed.StartsWith('{'))
        {
            return Clip(FromJson(trimmed));
        }

        // A short plain-text line is Canvas's own wording (the throttle refusal); HTML error pages are not shown.
        var isPlainText = contentType is null || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase);
        return isPlainText && trimmed.Length <= 200 && !trimmed.Contains('\n') && !trimmed.StartsWith('<') ? trimmed : null;
    }

    private static string? FromJson(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var messages = new List<string>();
            if (root.TryGetProperty("errors", out var errors))
            {
                CollectErrors(errors, null, messages);
            }

            if (messages.Count == 0 && root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                messages.Add(message.GetString()!);
            }

            if (messages.Count == 0 && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                var description = root.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                messages.Add(description is null ? error.GetString()! : $"{error.GetString()}: {description}");
            }

            return messages.Count == 0 ? null : string.Join("; ", messages);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void CollectErrors(JsonElement errors, string? field, List<string> messages)
    {
        switch (errors.ValueKind)
        {
            case JsonValueKind.String:
                messages.Add(Prefix(field, errors.GetString()!));
                break;
            case JsonValueKind.Array:
                foreach (var item in errors.EnumerateArray())
                {
                    CollectErrors(item, field, messages);
                }

                break;
            case JsonValueKind.Object when errors.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String:
                messages.Add(Prefix(field, message.GetString()!));
                break;
            case JsonValueKind.Object:
                // A validation hash: field name -> list of problems.
                foreach (var property in errors.EnumerateObject())
                {
                    CollectErrors(property.Value, property.Name, messages);
                }

                break;
        }
    }

    private static string Prefix(string? field, string message) => field is null ? message : $"{field}: {message}";

    private static string? Clip(string? text) => text is { Length: > MaxLength } ? text[..MaxLength] + "..." : text;
}
