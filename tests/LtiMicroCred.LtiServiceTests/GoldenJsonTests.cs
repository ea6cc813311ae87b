using System.Text.Json;
using System.Text.Json.Nodes;
using LtiMicroCred.Lti.Services;
using LtiMicroCred.Lti.Services.Ags;
using LtiMicroCred.Lti.Services.Nrps;
using LtiMicroCred.LtiServiceTests.Infrastructure;

namespace LtiMicroCred.LtiServiceTests;

/// <summary>
/// Every service payload of the contract read into the records and written back with LtiJson.Options gives the same
/// JSON (same properties and values; Canvas's extension properties kept through the records' JsonExtensionData).
/// </summary>
public sealed class GoldenJsonTests
{
    private static readonly Dictionary<string, Type> Types = new(StringComparer.Ordinal)
    {
        ["LineItem"] = typeof(LineItem),
        ["LineItem[]"] = typeof(List<LineItem>),
        ["Score"] = typeof(Score),
        ["ScoreReceipt"] = typeof(ScoreReceipt),
        ["LineItemResult"] = typeof(LineItemResult),
        ["LineItemResult[]"] = typeof(List<LineItemResult>),
        ["MembershipContainer"] = typeof(MembershipContainer),
    };

    public static TheoryData<string, string, string> Payloads => new()
    {
        { "02a", "response_body", "LineItem[]" },
        { "02b", "request_body", "LineItem" },
        { "02b", "response_body", "LineItem" },
        { "02b", "variants.attach_to_existing_resource_link.request_body", "LineItem" },
        { "02b", "variants.attach_to_existing_resource_link.response_body", "LineItem" },
        { "02c", "response_body", "LineItem" },
        { "02c", "variants.without_include_launch_url.response_body", "LineItem" },
        { "02d", "request_body", "LineItem" },
        { "02d", "response_body", "LineItem" },
        { "03", "request_body", "Score" },
        { "03", "variants.with_file_content_items.request_body", "Score" },
        { "03", "response_body", "ScoreReceipt" },
        { "03", "variants.with_file_content_items.response_body", "ScoreReceipt" },
        { "04a", "response_body", "LineItemResult[]" },
        { "04b", "response_body", "LineItemResult" },
        { "05", "response_body", "MembershipContainer" },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Contract_payload_round_trips_through_the_record(string file, string path, string type)
    {
        var original = Select(file, path);

        var record = JsonSerializer.Deserialize(original.ToJsonString(), Types[type], LtiJson.Options);
        var written = JsonSerializer.Serialize(record, Types[type], LtiJson.Options);

        JsonNode? back = null;
        var parse = Record.Exception(() => back = JsonNode.Parse(written));
        Assert.True(parse is null, $"LtiJson wrote invalid JSON ({parse?.Message}): {written}");
        JsonAssert.Equivalent(original, back, $"{file} {path} as {type}");
    }

    [Fact]
    public void Canvas_submission_type_extension_is_kept_as_an_object_on_the_line_item()
    {
        var lineItem = JsonSerializer.Deserialize<LineItem>(Select("02b", "response_body").ToJsonString(), LtiJson.Options)!;

        var extension = Assert.IsType<JsonObject>(ExtensionData.Get(lineItem.Extensions, "https://canvas.instructure.com/lti/submission_type"));
        Assert.Equal("external_tool", (string)extension["type"]!);
        Assert.Equal("https://tool.example.com/lti/launch", (string)extension["external_tool_url"]!);
        Assert.Equal("3c1f8e2a-5d7b-4a90-b6e4-1f2a3b4c5d6e", lineItem.ResourceLinkId);
    }

    [Fact]
    public void Canvas_submission_extension_is_read_on_the_score_and_its_receipt()
    {
        var score = JsonSerializer.Deserialize<Score>(Select("03", "request_body").ToJsonString(), LtiJson.Options)!;
        var receipt = JsonSerializer.Deserialize<ScoreReceipt>(Select("03", "variants.with_file_content_items.response_body").ToJsonString(), LtiJson.Options)!;

        Assert.True((bool)score.CanvasSubmission!["new_submission"]!);
        Assert.Equal("online_url", (string)score.CanvasSubmission["submission_type"]!);
        Assert.Equal(new DateTimeOffset(2025, 3, 15, 10, 22, 31, 482, TimeSpan.Zero), score.Timestamp);
        Assert.Equal("https://canvas.example.edu/api/lti/courses/4321/line_items/55/results/9001", receipt.ResultUrl);
        var item = ExtensionData.Get(receipt.Extensions, "https://canvas.instructure.com/lti/submission")!["content_items"]![0]!;
        Assert.Equal("https://canvas.example.edu/api/lti/courses/4321/progress/314", (string)item["progress"]!);
    }

    [Fact]
    public void Membership_container_reads_context_and_members()
    {
        var container = JsonSerializer.Deserialize<MembershipContainer>(Select("05", "response_body").ToJsonString(), LtiJson.Options)!;

        Assert.Equal(new MembershipContext("4f2e8a1c0b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f", "ENG-101", "English Composition 101"), container.Context);
        Assert.Equal("https://canvas.example.edu/api/lti/courses/4321/names_and_roles?limit=3", container.Id);
        Assert.Equal(3, container.Members.Count);
    }

    private static JsonNode Select(string file, string path)
    {
        JsonNode? node = ContractFile.Load(file).Root;
        foreach (var part in path.Split('.'))
        {
            node = node?[part];
        }

        return node ?? throw new InvalidOperationException($"{file} has nothing at {path}.");
    }
}
