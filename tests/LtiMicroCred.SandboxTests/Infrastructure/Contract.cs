using System.Text.Json;

namespace LtiMicroCred.SandboxTests.Infrastructure;

/// <summary>
/// The canvas-contract files (copied into Contract/): Canvas's documented shapes. A sandbox answer matches one when it
/// has the same member names with the same JSON types, recursively; values are free.
/// </summary>
public static class Contract
{
    // Members whose contents are the platform's own choice (custom parameters), so only their type is compared.
    private static readonly HashSet<string> FreeForm = new(["https://purl.imsglobal.org/spec/lti/claim/custom"], StringComparer.Ordinal);

    public static JsonElement Load(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Contract", file))).RootElement.Clone();

    public static JsonElement Body(string file) => Load(file).GetProperty("response_body");

    public static string ContentType(string file) => Load(file).GetProperty("response_headers").GetProperty("Content-Type").GetString()!;

    /// <summary>Asserts that <paramref name="actual"/> has the contract's shape.</summary>
    /// <param name="rest">REST style: members may be null where Canvas allows it. LTI style: null members must be absent.</param>
    /// <param name="optional">Member names the contract shows but this answer may leave out (LTI serializers drop nulls).</param>
    public static void AssertShape(JsonElement expected, JsonElement actual, bool rest, params string[] optional)
    {
        var problems = new List<string>();
        Compare(expected, actual, "$", rest, new HashSet<string>(optional, StringComparer.Ordinal), problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems) + "\nactual: " + actual);
    }

    private static void Compare(JsonElement expected, JsonElement actual, string path, bool rest, HashSet<string> optional, List<string> problems)
    {
        if (actual.ValueKind == JsonValueKind.Null)
        {
            if (!rest)
            {
                problems.Add($"{path} is null; LTI serializers leave null members out.");
            }

            return;
        }

        if (expected.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (Kind(expected) != Kind(actual))
        {
            problems.Add($"{path} is {actual.ValueKind}, the contract has {expected.ValueKind}.");
            return;
        }

        if (expected.ValueKind == JsonValueKind.Object && !FreeForm.Any(name => path.EndsWith("." + name, StringComparison.Ordinal)))
        {
            var actualNames = actual.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var property in expected.EnumerateObject())
            {
                if (actual.TryGetProperty(property.Name, out var value))
                {
                    Compare(property.Value, value, path + "." + property.Name, rest, optional, problems);
                }
                else if (!optional.Contains(property.Name))
                {
                    problems.Add($"{path}.{property.Name} is missing.");
                }
            }

            foreach (var extra in actualNames.Where(n => !expected.TryGetProperty(n, out _) && !optional.Contains(n)))
            {
                problems.Add($"{path}.{extra} is not in the contract.");
            }
        }
        else if (expected.ValueKind == JsonValueKind.Array && expected.GetArrayLength() > 0)
        {
            var index = 0;
            foreach (var item in actual.EnumerateArray())
            {
                Compare(expected[0], item, $"{path}[{index++}]", rest, optional, problems);
            }
        }
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        var kind => kind.ToString(),
    };
}
