using System.Text.Json;
using System.Text.Json.Nodes;
using LtiMicroCred.Lti.Services;
using LtiMicroCred.Lti.Services.Ags;
using LtiMicroCred.LtiServiceTests.Infrastructure;
using WireMock;

namespace LtiMicroCred.LtiServiceTests;

/// <summary>Assignment and Grade Services against Canvas-shaped stubs (contract 02a-02e, 03, 04a).</summary>
public sealed class AgsTests
{
    private const string Bearer = "Bearer " + LtiHarness.ContractToken;
    private const string ResourceLinkId = "9a4d6f0e-2b1c-4c3e-8f61-7d2a5b0c9e11";
    private const string StudentId = "5d3f2b1a-9c8e-4f7d-a6b5-c4d3e2f1a0b9";

    [Fact]
    public async Task Line_items_are_listed_across_three_pages_following_next_links_with_the_filters_in_the_query()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("02a", h.Lms.Url);
        var items = contract.Response.Body!.AsArray();
        var first = h.CoursePath($"/line_items?resource_link_id={ResourceLinkId}&resource_id=essay-1&tag=originality&limit=1");
        string Page(int n) => $"{first}&page={n}&per_page=1";
        string Link(int n, string rel) => $"<{h.Absolute(Page(n))}>; rel=\"{rel}\"";
        // Canvas's Link set; the middle page has no rel="last" (Canvas leaves it out when counting is costly).
        h.Lms.Stub("GET", first, contract.Response.WithBody(new JsonArray(items[0]!.DeepClone()))
            .WithHeader("Link", string.Join(",", Link(1, "current"), Link(2, "next"), Link(1, "first"), Link(3, "last"))));
        h.Lms.Stub("GET", Page(2), contract.Response.WithBody(new JsonArray(items[1]!.DeepClone()))
            .WithHeader("Link", string.Join(",", Link(2, "current"), Link(1, "prev"), Link(3, "next"), Link(1, "first"))));
        h.Lms.Stub("GET", Page(3), contract.Response.WithBody(new JsonArray(items[2]!.DeepClone()))
            .WithHeader("Link", string.Join(",", Link(3, "current"), Link(2, "prev"), Link(1, "first"), Link(3, "last"))));

        var listed = await h.Ags.ListLineItemsAsync(h.Platform, h.Absolute(h.CoursePath("/line_items")),
            new LineItemQuery(ResourceLinkId: ResourceLinkId, ResourceId: "essay-1", Tag: "originality", Limit: 1)).ToListAsync();

        JsonAssert.Equivalent(items, JsonSerializer.SerializeToNode(listed, LtiJson.Options));
        Assert.Equal(["55", "56", "57"], listed.Select(i => i.Id!.Split('/')[^1]));
        var requests = h.Lms.ServiceRequests;
        Assert.Equal([first, Page(2), Page(3)], requests.Select(r => r.Path + r.RawQuery));
        Assert.All(requests, r => AssertRequest(r, "GET", LtiMediaTypes.LineItemContainer));
        Assert.Equal(LtiScopes.LineItemReadOnly, LtiStub.Form(Assert.Single(h.Lms.TokenRequests))["scope"]);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Line_items_list_without_filters_sends_no_query_and_stops_without_a_next_link()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("02a", h.Lms.Url);
        h.Lms.Stub("GET", h.CoursePath("/line_items"), contract.Response.WithoutHeader("Link"));

        var listed = await h.Ags.ListLineItemsAsync(h.Platform, h.Absolute(h.CoursePath("/line_items"))).ToListAsync();

        Assert.Equal(3, listed.Count);
        var request = Assert.Single(h.Lms.ServiceRequests);
        Assert.True(string.IsNullOrEmpty(request.RawQuery), request.RawQuery);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Line_item_create_posts_the_line_item_without_id_as_lineitem_json()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("02b", h.Lms.Url);
        h.Lms.Stub("POST", h.CoursePath("/line_items"), contract.Response);
        var lineItem = JsonSerializer.Deserialize<LineItem>(contract.RequestBody!.ToJsonString(), LtiJson.Options)!
            with { Id = h.Absolute(h.CoursePath("/line_items/999")) };

        var created = await h.Ags.CreateLineItemAsync(h.Platform, h.Absolute(h.CoursePath("/line_items")), lineItem);

        var request = Assert.Single(h.Lms.ServiceRequests);
        AssertRequest(request, "POST", LtiMediaTypes.LineItem, LtiMediaTypes.LineItem);
        Assert.Equal(h.CoursePath("/line_items"), request.Path);
        Assert.True(string.IsNullOrEmpty(request.RawQuery), request.RawQuery);
        var sent = ParseSentJson(request.Body)!.AsObject();
        Assert.False(sent.ContainsKey("id"), "a created line item has no id yet");
        JsonAssert.Equivalent(contract.RequestBody, sent);
        JsonAssert.Equivalent(contract.Response.Body, JsonSerializer.SerializeToNode(created, LtiJson.Options));
        Assert.Equal(h.Absolute(h.CoursePath("/line_items/58")), created.Id);
        Assert.Equal("3c1f8e2a-5d7b-4a90-b6e4-1f2a3b4c5d6e", created.ResourceLinkId);
        Assert.Equal("external_tool", (string)ExtensionData.Get(created.Extensions, "https://canvas.instructure.com/lti/submission_type")!["type"]!);
        Assert.Equal(LtiScopes.LineItem, LtiStub.Form(Assert.Single(h.Lms.TokenRequests))["scope"]);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Line_item_show_gets_the_id_url_and_keeps_canvas_extensions()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("02c", h.Lms.Url);
        var path = h.CoursePath("/line_items/55?include[]=launch_url");
        h.Lms.Stub("GET", path, contract.Response);

        var lineItem = await h.Ags.GetLineItemAsync(h.Platform, h.Absolute(path));

        var request = Assert.Single(h.Lms.ServiceRequests);
        AssertRequest(request, "GET", LtiMediaTypes.LineItem);
        Assert.Equal(path, request.Path + request.RawQuery);
        Assert.Equal(100.0, lineItem.ScoreMaximum);
        Assert.Equal("Essay 1 (tool-graded)", lineItem.Label);
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 23, 59, 0, TimeSpan.Zero), lineItem.EndDateTime);
        Assert.Equal("https://tool.example.com/lti/launch", (string)ExtensionData.Get(lineItem.Extensions, "https://canvas.instructure.com/lti/launch_url")!);
        Assert.Equal(LtiScopes.LineItemReadOnly, LtiStub.Form(Assert.Single(h.Lms.TokenRequests))["scope"]);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Line_item_update_puts_the_whole_line_item_to_its_id_url()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("02d", h.Lms.Url);
        h.Lms.Stub("PUT", h.CoursePath("/line_items/55"), contract.Response);
        var update = JsonSerializer.Deserialize<LineItem>(contract.RequestBody!.ToJsonString(), LtiJson.Options)!
            with { Id = h.Absolute(h.CoursePath("/line_items/55")) };

        var updated = await h.Ags.UpdateLineItemAsync(h.Platform, update);

        var request = Assert.Single(h.Lms.ServiceRequests);
        AssertRequest(request, "PUT", LtiMediaTypes.LineItem, LtiMediaTypes.LineItem);
        Assert.Equal(h.CoursePath("/line_items/55"), request.Path + request.RawQuery);
        var expected = contract.RequestBody!.AsObject();
        expected["id"] = h.Absolute(h.CoursePath("/line_items/55"));
        JsonAssert.Equivalent(expected, ParseSentJson(request.Body));
        JsonAssert.Equivalent(contract.Response.Body, JsonSerializer.SerializeToNode(updated, LtiJson.Options));
        Assert.Equal(LtiScopes.LineItem, LtiStub.Form(Assert.Single(h.Lms.TokenRequests))["scope"]);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Line_item_read_then_updated_sends_its_canvas_extensions_back_as_valid_json()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var show = ContractFile.Load("02c", h.Lms.Url);
        var update = ContractFile.Load("02d", h.Lms.Url);
        h.Lms.Stub("GET", h.CoursePath("/line_items/55"), show.Response);
        h.Lms.Stub("PUT", h.CoursePath("/line_items/55"), update.Response);

        var read = await h.Ags.GetLineItemAsync(h.Platform, h.Absolute(h.CoursePath("/line_items/55")));
        await h.Ags.UpdateLineItemAsync(h.Platform, read with { Label = "Essay 1 (revised)" });

        var put = h.Lms.ServiceRequests[1];
        AssertRequest(put, "PUT", LtiMediaTypes.LineItem, LtiMediaTypes.LineItem);
        var expected = show.Response.Body!.AsObject();
        expected["label"] = "Essay 1 (revised)";
        JsonAssert.Equivalent(expected, ParseSentJson(put.Body));
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Line_item_update_without_id_is_refused_before_any_request()
    {
        using var h = await LtiHarness.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => h.Ags.UpdateLineItemAsync(h.Platform, new LineItem { ScoreMaximum = 1, Label = "x" }));

        Assert.Empty(h.Lms.Requests);
    }

    [Fact]
    public async Task Line_item_delete_sends_delete_to_the_id_url_and_accepts_204()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        h.Lms.Stub("DELETE", h.CoursePath("/line_items/55"), ContractFile.Load("02e", h.Lms.Url).Response);

        await h.Ags.DeleteLineItemAsync(h.Platform, h.Absolute(h.CoursePath("/line_items/55")));

        var request = Assert.Single(h.Lms.ServiceRequests);
        AssertRequest(request, "DELETE", "*/*");
        Assert.Equal(h.CoursePath("/line_items/55"), request.Path + request.RawQuery);
        Assert.Equal(LtiScopes.LineItem, LtiStub.Form(Assert.Single(h.Lms.TokenRequests))["scope"]);
        h.Lms.AssertNoUnexpectedRequests();
    }

    /// <summary>Canvas's ids have no query; other platforms' do (Moodle: .../lineitems/7/lineitem?type_id=2).</summary>
    [Theory]
    [InlineData("/api/lti/courses/4321/line_items/55", "/api/lti/courses/4321/line_items/55/scores")]
    [InlineData("/api/lti/courses/4321/line_items/55/", "/api/lti/courses/4321/line_items/55/scores")]
    [InlineData("/mod/lti/services.php/2/lineitems/7/lineitem?type_id=2", "/mod/lti/services.php/2/lineitems/7/lineitem/scores?type_id=2")]
    public async Task Score_is_posted_to_the_scores_url_of_the_line_item_as_score_json(string lineItemPath, string scoresPath)
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("03", h.Lms.Url);
        h.Lms.Stub("POST", scoresPath, contract.Response);
        var score = ContractScore(contract);

        var receipt = await h.Ags.PostScoreAsync(h.Platform, h.Absolute(lineItemPath), score);

        var request = Assert.Single(h.Lms.ServiceRequests);
        AssertRequest(request, "POST", "application/json", LtiMediaTypes.Score);
        Assert.Equal(scoresPath, request.Path + request.RawQuery);
        // The contract body without "submission" ({submittedAt}): the Score record has no such property (see GoldenJsonTests).
        var expected = contract.RequestBody!.AsObject();
        expected.Remove("submission");
        JsonAssert.Equivalent(expected, ParseSentJson(request.Body));
        Assert.Equal(h.Absolute("/api/lti/courses/4321/line_items/55/results/9001"), receipt.ResultUrl);
        Assert.Equal(LtiScopes.Score, LtiStub.Form(Assert.Single(h.Lms.TokenRequests))["scope"]);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Score_answered_with_an_empty_body_gives_an_empty_receipt()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("03", h.Lms.Url);
        h.Lms.Stub("POST", h.CoursePath("/line_items/55/scores"), new ContractResponse(204, new Dictionary<string, string>(), null));

        var receipt = await h.Ags.PostScoreAsync(h.Platform, h.Absolute(h.CoursePath("/line_items/55")), ContractScore(contract));

        Assert.Null(receipt.ResultUrl);
        Assert.Single(h.Lms.ServiceRequests);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Results_are_listed_page_by_page()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("04a", h.Lms.Url);
        var results = contract.Response.Body!.AsArray();
        var first = h.CoursePath("/line_items/55/results?limit=1");
        var second = first + "&page=2&per_page=1";
        h.Lms.Stub("GET", first, contract.Response.WithBody(new JsonArray(results[0]!.DeepClone()))
            .WithHeader("Link", $"<{h.Absolute(first)}&page=1&per_page=1>; rel=\"current\",<{h.Absolute(second)}>; rel=\"next\",<{h.Absolute(first)}&page=1&per_page=1>; rel=\"first\""));
        h.Lms.Stub("GET", second, contract.Response.WithBody(new JsonArray(results[1]!.DeepClone()))
            .WithHeader("Link", $"<{h.Absolute(second)}>; rel=\"current\",<{h.Absolute(first)}&page=1&per_page=1>; rel=\"prev\",<{h.Absolute(second)}>; rel=\"last\""));

        var listed = await h.Ags.ListResultsAsync(h.Platform, h.Absolute(h.CoursePath("/line_items/55")), limit: 1).ToListAsync();

        JsonAssert.Equivalent(results, JsonSerializer.SerializeToNode(listed, LtiJson.Options));
        Assert.Equal([first, second], h.Lms.ServiceRequests.Select(r => r.Path + r.RawQuery));
        Assert.All(h.Lms.ServiceRequests, r => AssertRequest(r, "GET", LtiMediaTypes.ResultContainer));
        Assert.Equal(LtiScopes.ResultReadOnly, LtiStub.Form(Assert.Single(h.Lms.TokenRequests))["scope"]);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Results_for_one_user_send_user_id_and_limit_and_keep_the_line_item_query()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("04a", h.Lms.Url);
        var path = $"/mod/lti/services.php/2/lineitems/7/lineitem/results?type_id=2&user_id={StudentId}&limit=5";
        h.Lms.Stub("GET", path, contract.Response.WithBody(new JsonArray(contract.Response.Body![0]!.DeepClone())).WithoutHeader("Link"));

        var listed = await h.Ags.ListResultsAsync(h.Platform, h.Absolute("/mod/lti/services.php/2/lineitems/7/lineitem?type_id=2"), StudentId, 5).ToListAsync();

        var result = Assert.Single(listed);
        Assert.Equal(StudentId, result.UserId);
        Assert.Equal(87.5, result.ResultScore);
        Assert.Equal(100.0, result.ResultMaximum);
        Assert.Equal(path, Assert.Single(h.Lms.ServiceRequests).Path + h.Lms.ServiceRequests[0].RawQuery);
        h.Lms.AssertNoUnexpectedRequests();
    }

    /// <summary>The body the client sent, which must be JSON.</summary>
    internal static JsonNode? ParseSentJson(string? body)
    {
        try
        {
            return JsonNode.Parse(body!);
        }
        catch (JsonException e)
        {
            Assert.Fail($"The client sent a body that is not JSON ({e.Message}): {body}");
            throw;
        }
    }

    internal static Score ContractScore(ContractFile contract)
    {
        var body = contract.RequestBody!;
        return new Score
        {
            UserId = (string)body["userId"]!,
            ScoreGiven = (double)body["scoreGiven"]!,
            ScoreMaximum = (double)body["scoreMaximum"]!,
            Comment = (string)body["comment"]!,
            Timestamp = DateTimeOffset.Parse((string)body["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture),
            ActivityProgress = ActivityProgress.Completed,
            GradingProgress = GradingProgress.FullyGraded,
            CanvasSubmission = body["https://canvas.instructure.com/lti/submission"]!.DeepClone().AsObject(),
        };
    }

    /// <summary>Method, bearer token of the token stub, Accept, and the exact Content-Type media type (no charset) or none.</summary>
    internal static void AssertRequest(IRequestMessage request, string method, string accept, string? contentType = null, string bearer = Bearer)
    {
        Assert.Equal(method, request.Method);
        Assert.Equal(bearer, LtiStub.Header(request, "Authorization"));
        Assert.Equal(accept, LtiStub.Header(request, "Accept"));
        Assert.Equal(contentType, LtiStub.Header(request, "Content-Type"));
        if (contentType is null)
        {
            Assert.True(string.IsNullOrEmpty(request.Body), request.Body);
        }
    }
}
