using System.Text.Json;

namespace LtiMicroCred.Canvas.Models;

/// <summary>
/// The serializer settings the client reads Canvas with, for code that stores or replays the models (job payloads,
/// caches, golden files) and must write them back the way Canvas spells them.
/// </summary>
public static class CanvasJson
{
    /// <summary>snake_case, timestamps in UTC with Z, nulls left out on write; read-only.</summary>
    public static JsonSerializerOptions Options => CanvasJsonContext.Default.Options;
}
