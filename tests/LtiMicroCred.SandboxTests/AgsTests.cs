using System.Net;
using System.Text.Json;
using LtiMicroCred.SandboxTests.Infrastructure;

namespace LtiMicroCred.SandboxTests;

/// <summary>Assignment and Grade Services: line items, scores and results, in Canvas's shapes and media types.</summary>
public sealed class AgsTests(SandboxHost host) : IClassFixture<SandboxHost>
{
    private const string LineItemType = "application/vnd.ims.lis.v2.lineitem+json";
    private const string ScoreType = "application/vnd.ims.lis.v1.score+json";

    private readonly ToolSide tool = new(host);

    private string LineItemsUrl => $"{host.Root}/api/lti/courses/{SandboxHost.McCourse}/line_items";

    [Fact]
    public async Task LineItem_CreateShowUpdateDelete_RoundTripsInContractShapes()
    {
        var token = await tool.ServiceTokenAsync();

        var created = await tool.SendAsync(HttpMethod.Post, LineItemsUrl, token,
            """{"scoreMaximum":100,"label":"Evidence review","resourceId":"mc-1","tag":"review","endDateTime":"2031-04-01T23:59:00Z","https://canvas.instructure.com/lti/submission_type":{"type":"external_tool","external_tool_url":"https://tool.example/lti/launch"}}""",
            LineItemType);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(Contract.ContentType("02b_ags_line_items_create.json"), created.Content.Headers.ContentType!.ToString());
        var createdJson = await JsonAsync(created);
        // Not bound to a resource link, so resourceLinkId is left out rather than sent as null.
        Contract.AssertShape(Contract.Body("02b_ags_line_items_create.json"), createdJson, rest: false, "resourceLinkId");
        Assert.False(createdJson.TryGetProperty("resourceLinkId", out _));
        var id = createdJson.GetProperty("id").GetString()!;
        Assert.StartsWith(LineItemsUrl + "/", id, StringComparison.Ordinal);

        var shown = await tool.SendAsync(HttpMethod.Get, id + "?include[]=launch_url", token);
        Assert.Equal(Contract.ContentType("02c_ags_line_items_show.json"), shown.Content.Headers.ContentType!.ToString());
        var shownJson = await JsonAsync(shown);
        Contract.AssertShape(Contract.Body("02c_ags_line_items_show.json"), shownJson, rest: false, "resourceLinkId");
        Assert.Equal("Evidence review", shownJson.GetProperty("label").GetString());
        Assert.Equal(host.BaseUrl + "/lti/launch", shownJson.GetProperty("https://canvas.instructure.com/lti/launch_url").GetString());

        var updated = await tool.SendAsync(HttpMethod.Put, id, token, """{"scoreMaximum":80,"label":"Evidence review (revised)"}""", LineItemType);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(Contract.ContentType("02d_ags_line_items_update.json"), updated.Content.Headers.ContentType!.ToString());
        var updatedJson = await JsonAsync(updated);
        Contract.AssertShape(Contract.Body("02d_ags_line_items_update.json"), updatedJson, rest: false, "resourceLinkId");
        Assert.Equal(80, updatedJson.GetProperty("scoreMaximum").GetDouble());
        Assert.Equal("review", updatedJson.GetProperty("tag").GetString());

        var deleted = await tool.SendAsync(HttpMethod.Delete, id, token);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(await deleted.Content.ReadAsByteArrayAsync());

        var gone = await tool.SendAsync(HttpMethod.Get, id, token);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Contract.AssertShape(Contract.Load("11_error_shapes_lti_advantage.json").GetProperty("variants").GetProperty("404").GetProperty("response_body"),
            await JsonAsync(gone), rest: false);
    }

    [Fact]
    public async Task LineItems_List_PagesWithCanvasLinkHeadersAndKeepsTheFilter()
    {
        var token = await tool.ServiceTokenAsync();
        var tag = "paging-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 1; i <= 5; i++)
        {
            await CreateAsync(token, $$"""{"scoreMaximum":10,"label":"Item {{i}}","tag":"{{tag}}"}""");
        }

        var labels = new List<string>();
        var url = $"{LineItemsUrl}?tag={tag}&limit=2";
        var pages = 0;
        while (url is not null)
        {
            var response = await tool.SendAsync(HttpMethod.Get, url, token);
            Assert.Equal(Contract.ContentType("02a_ags_line_items_list.json"), response.Content.Headers.ContentType!.ToString());
            var page = await JsonAsync(response);
            Contract.AssertShape(Contract.Body("02a_ags_line_items_list.json"), page, rest: false, "resourceId", "endDateTime", "resourceLinkId");
            labels.AddRange(page.EnumerateArray().Select(li => li.GetProperty("label").GetString()!));
            var links = Links(response);
            Assert.Contains("current", links.Keys);
            Assert.Equal($"{LineItemsUrl}?tag={tag}&limit=2&page=1&per_page=2", links["first"]);
            Assert.Equal($"{LineItemsUrl}?tag={tag}&limit=2&page=3&per_page=2", links["last"]);
            url = links.GetValueOrDefault("next");
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(["Item 1", "Item 2", "Item 3", "Item 4", "Item 5"], labels);
    }

    [Fact]
    public async Task LineItems_List_FiltersByTagResourceIdAndResourceLinkId()
    {
        var token = await tool.ServiceTokenAsync();
        var unique = Guid.NewGuid().ToString("N")[..8];
        await CreateAsync(token, $$"""{"scoreMaximum":10,"label":"A","tag":"t-{{unique}}","resourceId":"r-{{unique}}"}""");
        await CreateAsync(token, $$"""{"scoreMaximum":10,"label":"B","tag":"t-{{unique}}","resourceId":"other"}""");
        await CreateAsync(token, $$"""{"scoreMaximum":10,"label":"C","resourceId":"r-{{unique}}","resourceLinkId":"rl-course-mc-1"}""");

        Assert.Equal(["A", "B"], await LabelsAsync(token, $"tag=t-{unique}"));
        Assert.Equal(["A", "C"], await LabelsAsync(token, $"resource_id=r-{unique}"));
        Assert.Equal(["A"], await LabelsAsync(token, $"tag=t-{unique}&resource_id=r-{unique}"));
        Assert.Equal(["C"], (await LabelsAsync(token, "resource_link_id=rl-course-mc-1")).Where(l => l == "C"));
        Assert.All(await ListAsync(token, "resource_link_id=rl-course-mc-1"), li => Assert.Equal("rl-course-mc-1", li.GetProperty("resourceLinkId").GetString()));
    }

    [Fact]
    public async Task LineItem_Create_WithPlainJsonMediaType_IsRefusedWith415()
    {
        var token = await tool.ServiceTokenAsync();

        var response = await tool.SendAsync(HttpMethod.Post, LineItemsUrl, token, """{"scoreMaximum":10,"label":"x"}""", "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains(LineItemType, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LineItem_Create_WithReadOnlyScope_IsUnauthorizedInCanvasShape()
    {
        var token = await tool.ServiceTokenAsync(ToolSide.LineItemReadOnlyScope);

        var response = await tool.SendAsync(HttpMethod.Post, LineItemsUrl, token, """{"scoreMaximum":10,"label":"x"}""", LineItemType);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Contract.AssertShape(Contract.Body("11_error_shapes_lti_advantage.json"), await JsonAsync(response), rest: false);
    }

    [Fact]
    public async Task LineItem_Create_WithUnknownResourceLink_IsNotFound()
    {
        var token = await tool.ServiceTokenAsync();

        var response = await tool.SendAsync(HttpMethod.Post, LineItemsUrl, token,
            """{"scoreMaximum":10,"label":"x","resourceLinkId":"no-such-link"}""", LineItemType);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Score_ThenResults_ShowTheScoreScaledToTheLineItemWithTheComment()
    {
        var token = await tool.ServiceTokenAsync();
        var lineItem = await CreateAsync(token, """{"scoreMaximum":10,"label":"Scored evidence"}""");

        var scored = await tool.SendAsync(HttpMethod.Post, lineItem + "/scores", token,
            """{"userId":"teacher-ada","scoreGiven":45,"scoreMaximum":50,"comment":"Strong evidence.","timestamp":"2031-03-03T09:00:00.000Z","activityProgress":"Completed","gradingProgress":"FullyGraded"}""",
            ScoreType);
        Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
        Assert.Equal(Contract.ContentType("03_ags_scores_create.json"), scored.Content.Headers.ContentType!.ToString());
        var resultUrl = (await JsonAsync(scored)).GetProperty("resultUrl").GetString()!;
        Assert.StartsWith(lineItem + "/results/", resultUrl, StringComparison.Ordinal);

        // Ben is also a student; his score is posted by his Canvas user id, which Canvas accepts as well.
        await tool.SendAsync(HttpMethod.Post, lineItem + "/scores", token,
            """{"userId":"7002","timestamp":"2031-03-03T09:00:00.000Z","activityProgress":"Submitted","gradingProgress":"PendingManual"}""", ScoreType);

        var list = await tool.SendAsync(HttpMethod.Get, lineItem + "/results", token);
        Assert.Equal(Contract.ContentType("04a_ags_results_list.json"), list.Content.Headers.ContentType!.ToString());
        var results = await JsonAsync(list);
        Contract.AssertShape(Contract.Body("04a_ags_results_list.json"), results, rest: false, "comment", "resultScore");
        var ada = results.EnumerateArray().Single(r => r.GetProperty("userId").GetString() == "teacher-ada");
        Assert.Equal(9, ada.GetProperty("resultScore").GetDouble());
        Assert.Equal(10, ada.GetProperty("resultMaximum").GetDouble());
        Assert.Equal("Strong evidence.", ada.GetProperty("comment").GetString());
        Assert.Equal(lineItem, ada.GetProperty("scoreOf").GetString());
        var ben = results.EnumerateArray().Single(r => r.GetProperty("userId").GetString() == "teacher-ben");
        Assert.False(ben.TryGetProperty("resultScore", out _));

        var filtered = await JsonAsync(await tool.SendAsync(HttpMethod.Get, lineItem + "/results?user_id=teacher-ben", token));
        Assert.Equal("teacher-ben", Assert.Single(filtered.EnumerateArray()).GetProperty("userId").GetString());

        var single = await tool.SendAsync(HttpMethod.Get, resultUrl, token);
        Assert.Equal(Contract.ContentType("04b_ags_results_show.json"), single.Content.Headers.ContentType!.ToString());
        Contract.AssertShape(Contract.Body("04b_ags_results_show.json"), await JsonAsync(single), rest: false);
    }

    [Fact]
    public async Task Score_OlderThanTheStoredOne_IsRefusedAndLeavesTheResult()
    {
        var token = await tool.ServiceTokenAsync();
        var lineItem = await CreateAsync(token, """{"scoreMaximum":10,"label":"Timestamps"}""");
        Assert.Equal(HttpStatusCode.OK, (await PostScoreAsync(token, lineItem, 8, "2031-03-03T10:00:00.000Z")).StatusCode);

        var stale = await PostScoreAsync(token, lineItem, 3, "2031-03-03T09:59:59.000Z");

        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        var error = (await JsonAsync(stale)).GetProperty("errors");
        Assert.Equal("bad_request", error.GetProperty("type").GetString());
        Assert.Contains("before last updated timestamp", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var results = await JsonAsync(await tool.SendAsync(HttpMethod.Get, lineItem + "/results", token));
        Assert.Equal(8, Assert.Single(results.EnumerateArray()).GetProperty("resultScore").GetDouble());

        // The same or a newer timestamp is accepted.
        Assert.Equal(HttpStatusCode.OK, (await PostScoreAsync(token, lineItem, 9, "2031-03-03T10:00:00.000Z")).StatusCode);
    }

    [Fact]
    public async Task Score_ForSomeoneWhoIsNotAStudent_IsUnprocessable()
    {
        var token = await tool.ServiceTokenAsync();
        var lineItem = await CreateAsync(token, """{"scoreMaximum":10,"label":"Not for principals"}""");

        var response = await tool.SendAsync(HttpMethod.Post, lineItem + "/scores", token,
            """{"userId":"principal-carla","scoreGiven":1,"scoreMaximum":1,"timestamp":"2031-03-03T09:00:00Z","activityProgress":"Completed","gradingProgress":"FullyGraded"}""",
            ScoreType);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
    }

    [Fact]
    public async Task Score_GivenWithoutMaximum_IsUnprocessable()
    {
        var token = await tool.ServiceTokenAsync();
        var lineItem = await CreateAsync(token, """{"scoreMaximum":10,"label":"Needs a maximum"}""");

        var response = await tool.SendAsync(HttpMethod.Post, lineItem + "/scores", token,
            """{"userId":"teacher-ada","scoreGiven":1,"timestamp":"2031-03-03T09:00:00Z","activityProgress":"Completed","gradingProgress":"FullyGraded"}""",
            ScoreType);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("ScoreMaximum not supplied", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_UnknownCourse_IsNotFound()
    {
        var token = await tool.ServiceTokenAsync();

        var response = await tool.SendAsync(HttpMethod.Get, $"{host.Root}/api/lti/courses/999999/line_items", token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private Task<HttpResponseMessage> PostScoreAsync(string token, string lineItem, double score, string timestamp) =>
        tool.SendAsync(HttpMethod.Post, lineItem + "/scores", token,
            $$"""{"userId":"teacher-ada","scoreGiven":{{score}},"scoreMaximum":10,"timestamp":"{{timestamp}}","activityProgress":"Completed","gradingProgress":"FullyGraded"}""",
            ScoreType);

    private async Task<string> CreateAsync(string token, string json)
    {
        var response = await tool.SendAsync(HttpMethod.Post, LineItemsUrl, token, json, LineItemType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private async Task<List<JsonElement>> ListAsync(string token, string query) =>
        [.. (await JsonAsync(await tool.SendAsync(HttpMethod.Get, $"{LineItemsUrl}?{query}&limit=100", token))).EnumerateArray()];

    private async Task<List<string>> LabelsAsync(string token, string query) =>
        (await ListAsync(token, query)).Select(li => li.GetProperty("label").GetString()!).ToList();

    internal static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    /// <summary>The Link header as rel -> URL.</summary>
    internal static Dictionary<string, string> Links(HttpResponseMessage response) =>
        response.Headers.GetValues("Link").Single().Split(',')
            .Select(part => part.Split(';'))
            .ToDictionary(p => p[1].Trim()["rel=\"".Length..^1], p => p[0].Trim().TrimStart('<').TrimEnd('>'));
}
