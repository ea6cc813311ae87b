using System.Text.Json;
using System.Text.Json.Nodes;
using LtiMicroCred.Lti.Services;

namespace LtiMicroCred.LtiServiceTests.Infrastructure;

/// <summary>Reads a record's extension data whatever CLR type holds it (JsonObject, Dictionary of JsonElement or object).</summary>
internal static class ExtensionData
{
    public static JsonNode? Get(object? extensions, string name) =>
        extensions is null ? null : JsonSerializer.SerializeToNode(extensions, extensions.GetType(), LtiJson.Options)?[name];
}
