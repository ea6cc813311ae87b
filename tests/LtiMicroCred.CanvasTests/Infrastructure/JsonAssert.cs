using System.Text.Json;
using System.Text.Json.Nodes;

namespace LtiMicroCred.CanvasTests.Infrastructure;

/// <summary>
/// Compares JSON by meaning: key order ignored, numbers by value (100.0 equals 100), strings after unescaping, and a
/// missing key equal to an explicit null (Canvas writes nulls out, the client leaves them out when writing).
/// </summary>
internal static class JsonAssert
{
    public static void Equivalent(JsonNode? expected, JsonNode? actual) => Compare(expected, actual, "$");

    public static void Equivalent(string expectedJson, string actualJson) =>
        Equivalent(JsonNode.Parse(expectedJson), JsonNode.Parse(actualJson));

    private static void Compare(JsonNode? expected, JsonNode? actual, string path)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: expected {Show(expected)} but found {Show(actual)}");
            return;
        }

        switch (expected)
        {
            case JsonObject expectedObject:
                var actualObject = Assert.IsType<JsonObject>(actual, exactMatch: false);
                foreach (var key in expectedObject.Select(p => p.Key).Union(actualObject.Select(p => p.Key)))
                {
                    Compare(expectedObject[key], actualObject[key], $"{path}.{key}");
                }

                break;
            case JsonArray expectedArray:
                var actualArray = Assert.IsType<JsonArray>(actual, exactMatch: false);
                Assert.True(expectedArray.Count == actualArray.Count, $"{path}: expected {expectedArray.Count} items but found {actualArray.Count}");
                for (var i = 0; i < expectedArray.Count; i++)
                {
                    Compare(expectedArray[i], actualArray[i], $"{path}[{i}]");
                }

                break;
            default:
                var e = expected.GetValue<JsonElement>();
                var a = actual.AsValue().GetValue<JsonElement>();
                var same = (e.ValueKind, a.ValueKind) switch
                {
                    (JsonValueKind.Number, JsonValueKind.Number) => e.GetDecimal() == a.GetDecimal(),
                    (JsonValueKind.String, JsonValueKind.String) => e.GetString() == a.GetString(),
                    _ => e.ValueKind == a.ValueKind && e.GetRawText() == a.GetRawText(),
                };
                Assert.True(same, $"{path}: expected {e.GetRawText()} but found {a.GetRawText()}");
                break;
        }
    }

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null/absent";
}
