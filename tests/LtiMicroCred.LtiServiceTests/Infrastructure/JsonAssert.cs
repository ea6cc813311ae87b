using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LtiMicroCred.LtiServiceTests.Infrastructure;

/// <summary>
/// Semantic JSON comparison: same properties (order free), same array items in order, numbers by value (100 = 100.0),
/// timestamps by instant ("...Z" = "...+00:00"), everything else exactly.
/// </summary>
internal static class JsonAssert
{
    public static void Equivalent(JsonNode? expected, JsonNode? actual, string? because = null)
    {
        var differences = new List<string>();
        Compare(expected, actual, "$", differences);
        Assert.True(differences.Count == 0,
            (because is null ? string.Empty : because + "\n") + string.Join("\n", differences)
            + $"\nexpected: {expected?.ToJsonString() ?? "null"}\nactual:   {actual?.ToJsonString() ?? "null"}");
    }

    public static void Equivalent(string expectedJson, string actualJson, string? because = null) =>
        Equivalent(JsonNode.Parse(expectedJson), JsonNode.Parse(actualJson), because);

    private static void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        var expectedKind = expected?.GetValueKind() ?? JsonValueKind.Null;
        var actualKind = actual?.GetValueKind() ?? JsonValueKind.Null;
        if (expectedKind != actualKind)
        {
            differences.Add($"{path}: expected {expectedKind} {expected?.ToJsonString()}, got {actualKind} {actual?.ToJsonString()}");
            return;
        }

        switch (expected)
        {
            case JsonObject e:
                var a = (JsonObject)actual!;
                foreach (var (name, value) in e)
                {
                    if (!a.ContainsKey(name))
                    {
                        differences.Add($"{path}.{name}: missing");
                        continue;
                    }

                    Compare(value, a[name], $"{path}.{name}", differences);
                }

                differences.AddRange(a.Where(p => !e.ContainsKey(p.Key)).Select(p => $"{path}.{p.Key}: unexpected {p.Value?.ToJsonString()}"));
                break;
            case JsonArray e:
                var arr = (JsonArray)actual!;
                if (e.Count != arr.Count)
                {
                    differences.Add($"{path}: expected {e.Count} items, got {arr.Count}");
                    return;
                }

                for (var i = 0; i < e.Count; i++)
                {
                    Compare(e[i], arr[i], $"{path}[{i}]", differences);
                }

                break;
            case null:
                break;
            default:
                if (!ScalarEqual(expected.AsValue(), actual!.AsValue(), expectedKind))
                {
                    differences.Add($"{path}: expected {expected.ToJsonString()}, got {actual.ToJsonString()}");
                }

                break;
        }
    }

    private static bool ScalarEqual(JsonValue expected, JsonValue actual, JsonValueKind kind) => kind switch
    {
        JsonValueKind.Number => Number(expected) == Number(actual),
        JsonValueKind.String => expected.GetValue<string>() is var e && actual.GetValue<string>() is var a
            && (e == a || (Timestamp(e) is { } te && Timestamp(a) is { } ta && te == ta)),
        _ => expected.ToJsonString() == actual.ToJsonString(),
    };

    private static decimal Number(JsonValue value) => decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static DateTimeOffset? Timestamp(string text) =>
        text.Length >= 20 && char.IsAsciiDigit(text[0]) && text[4] == '-' && text[10] == 'T'
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value)
            ? value
            : null;
}
