using System.Text.Json;
using System.Text.Json.Serialization;

namespace LtiMicroCred.Lti.Services;

/// <summary>JSON settings of the service payloads: the specifications' camelCase names are on the records; nulls are left out.</summary>
public static class LtiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
