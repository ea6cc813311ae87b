using System.Net;
using System.Text;
using System.Text.Json;
using LtiMicroCred.SandboxTests.Infrastructure;

namespace LtiMicroCred.SandboxTests;

/// <summary>The Canvas REST endpoints the tool reads evidence with, against the seeded course, in the contract's shapes.</summary>
public sealed class RestApiTests(SandboxHost host) : IClassFixture<SandboxHost>
{
    private const long LessonPlan = 1101;
    private const long Reflection = 1103;
    private const long Ada = 7001;

    // Canvas's REST shapes carry these only when the data is there (attachments) or when asked (includes).
    private static readonly string[] OnlyWhenPresent = ["attachments", "submission_history", "submission_comments", "user", "preview_url"];

    private readonly ToolSide tool = new(host);

    private string CourseApi => $"{host.Root}/api/v1/courses/{SandboxHost.McCourse}";

    [Fact]
    public async Task Assignments_List_HasTheContractShapeAndThrottleHeaders()
    {
        var (token, _) = await tool.RestTokensAsync("principal-carla");

        var response = await tool.SendAsync(HttpMethod.Get, CourseApi + "/assignments", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Contract.ContentType("06a_rest_assignments_list.json"), response.Content.Headers.ContentType!.ToString());
        var body = await AgsTests.JsonAsync(response);
        Contract.AssertShape(Contract.Body("06a_rest_assignments_list.json"), body, rest: true, "external_tool_tag_attributes");
        Assert.Equal(["Evidence 1: Lesson plan", "Evidence 2: Student work samples", "Reflection"],
            body.EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.True(double.TryParse(response.Headers.GetValues("X-Request-Cost").Single(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.True(double.Parse(response.Headers.GetValues("X-Rate-Limit-Remaining").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("rel=\"current\"", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submissions_ListWithIncludes_HaveHistoryCommentsUserAndAttachments()
    {
        var (token, _) = await tool.RestTokensAsync("principal-carla");

        var response = await tool.SendAsync(HttpMethod.Get,
            $"{CourseApi}/assignments/{LessonPlan}/submissions?include[]=submission_history&include[]=submission_comments&include[]=user", token);

        Assert.Equal(Contract.ContentType("06b_rest_submissions_list.json"), response.Content.Headers.ContentType!.ToString());
        var body = await AgsTests.JsonAsync(response);
        Contract.AssertShape(Contract.Body("06b_rest_submissions_list.json"), body, rest: true, OnlyWhenPresent);
        var ada = body.EnumerateArray().Single(s => s.GetProperty("user_id").GetInt64() == Ada);
        Assert.Equal("graded", ada.GetProperty("workflow_state").GetString());
        Assert.Equal(2, ada.GetProperty("attempt").GetInt32());
        Assert.Equal(2, ada.GetProperty("attachments").GetArrayLength());
        Assert.Equal(2, ada.GetProperty("submission_history").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, ada.GetProperty("submission_history")[0].GetProperty("score").ValueKind);
        Assert.Equal(9, ada.GetProperty("submission_history")[1].GetProperty("score").GetDouble());
        Assert.Equal("Carla Nguyen", ada.GetProperty("submission_comments")[0].GetProperty("author_name").GetString());
        Assert.Equal("Okafor, Ada", ada.GetProperty("user").GetProperty("sortable_name").GetString());
    }

    [Fact]
    public async Task Submissions_PageByPerPage_WithLinksThatKeepTheIncludes()
    {
        var (token, _) = await tool.RestTokensAsync("principal-carla");
        var url = $"{CourseApi}/assignments/{Reflection}/submissions?include[]=user&per_page=1";

        var first = await tool.SendAsync(HttpMethod.Get, url, token);
        var next = AgsTests.Links(first)["next"];
        var second = await tool.SendAsync(HttpMethod.Get, next, token);

        Assert.Equal($"{CourseApi}/assignments/{Reflection}/submissions?include%5B%5D=user&page=2&per_page=1", next);
        Assert.Equal(Ada, Assert.Single((await AgsTests.JsonAsync(first)).EnumerateArray()).GetProperty("user").GetProperty("id").GetInt64());
        Assert.Equal(7002, Assert.Single((await AgsTests.JsonAsync(second)).EnumerateArray()).GetProperty("user_id").GetInt64());
        Assert.False(AgsTests.Links(second).ContainsKey("next"));
    }

    [Fact]
    public async Task Submissions_ForALearner_AreOnlyTheirOwn()
    {
        var (token, _) = await tool.RestTokensAsync("teacher-ada");

        var list = await AgsTests.JsonAsync(await tool.SendAsync(HttpMethod.Get, $"{CourseApi}/assignments/{LessonPlan}/submissions", token));
        var someoneElses = await tool.SendAsync(HttpMethod.Get, $"{CourseApi}/assignments/{LessonPlan}/submissions/7002", token);

        Assert.Equal(Ada, Assert.Single(list.EnumerateArray()).GetProperty("user_id").GetInt64());
        Assert.Equal(HttpStatusCode.Unauthorized, someoneElses.StatusCode);
    }

    [Fact]
    public async Task Submission_Show_IsOneSubmissionInTheContractShape()
    {
        var (token, _) = await tool.RestTokensAsync("admin-dev");

        var response = await tool.SendAsync(HttpMethod.Get,
            $"{CourseApi}/assignments/{Reflection}/submissions/7002?include[]=submission_history&include[]=submission_comments&include[]=user", token);

        var body = await AgsTests.JsonAsync(response);
        Contract.AssertShape(Contract.Body("07a_rest_submission_show.json"), body, rest: true, OnlyWhenPresent);
        Assert.Equal("online_text_entry", body.GetProperty("submission_type").GetString());
        Assert.Contains("journals", body.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, body.GetProperty("submission_history").GetArrayLength());
    }

    [Fact]
    public async Task File_MetadataPointsAtADownloadThatServesTheBytes()
    {
        var (token, _) = await tool.RestTokensAsync("principal-carla");
        var submission = await AgsTests.JsonAsync(await tool.SendAsync(HttpMethod.Get, $"{CourseApi}/assignments/{LessonPlan}/submissions/{Ada}", token));
        var attachment = submission.GetProperty("attachments").EnumerateArray().Single(a => a.GetProperty("content-type").GetString() == "text/plain");
        var fileId = attachment.GetProperty("id").GetInt64();

        var metadata = await tool.SendAsync(HttpMethod.Get, $"{host.Root}/api/v1/files/{fileId}", token);
        var file = await AgsTests.JsonAsync(metadata);
        Contract.AssertShape(Contract.Body("07b_rest_file_show.json"), file, rest: true);
        var url = file.GetProperty("url").GetString()!;
        Assert.StartsWith($"{host.Root}/files/{fileId}/download?", url, StringComparison.Ordinal);

        // The verifier in the URL is enough, as in Canvas: no token needed.
        var download = await tool.Http.GetAsync(url);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("text/plain", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(file.GetProperty("size").GetInt64(), bytes.Length);
        Assert.Contains("exit ticket", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);

        var forged = await tool.Http.GetAsync($"{host.Root}/files/{fileId}/download?verifier=wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Fact]
    public async Task File_OfSomeoneElse_IsRefusedToALearner()
    {
        var (carla, _) = await tool.RestTokensAsync("principal-carla");
        var (ada, _) = await tool.RestTokensAsync("teacher-ada");
        var submission = await AgsTests.JsonAsync(await tool.SendAsync(HttpMethod.Get, $"{CourseApi}/assignments/{LessonPlan}/submissions/7002", carla));
        var bensFile = submission.GetProperty("attachments")[0].GetProperty("id").GetInt64();

        var response = await tool.SendAsync(HttpMethod.Get, $"{host.Root}/api/v1/files/{bensFile}", ada);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Comment_Put_AddsACommentByTheTokensPerson()
    {
        var (token, _) = await tool.RestTokensAsync("admin-dev");

        var response = await tool.SendAsync(HttpMethod.Put, $"{CourseApi}/assignments/{Reflection}/submissions/{Ada}", token,
            """{"comment":{"text_comment":"Automated review: evidence complete.","group_comment":false}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Contract.ContentType("08_rest_submission_comment_put.json"), response.Content.Headers.ContentType!.ToString());
        var body = await AgsTests.JsonAsync(response);
        Contract.AssertShape(Contract.Body("08_rest_submission_comment_put.json"), body, rest: true, "attachments", "preview_url");
        var comment = body.GetProperty("submission_comments").EnumerateArray().Last();
        Assert.Equal("Automated review: evidence complete.", comment.GetProperty("comment").GetString());
        Assert.Equal(5002, comment.GetProperty("author_id").GetInt64());
        Assert.Equal(1, body.GetProperty("all_submissions").GetArrayLength());

        // Form-encoded, as Canvas also takes it.
        var form = await tool.Http.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"{CourseApi}/assignments/{Reflection}/submissions/{Ada}")
        {
            Headers = { Authorization = new("Bearer", token) },
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["comment[text_comment]"] = "Second note." }),
        });
        var comments = (await AgsTests.JsonAsync(form)).GetProperty("submission_comments").EnumerateArray().Select(c => c.GetProperty("comment").GetString());
        Assert.Equal(["Automated review: evidence complete.", "Second note."], comments);
    }

    [Fact]
    public async Task CustomColumns_CreateListUpdateAndSetData()
    {
        var (token, _) = await tool.RestTokensAsync("principal-carla");
        var columnsUrl = CourseApi + "/custom_gradebook_columns";

        var created = await tool.SendAsync(HttpMethod.Post, columnsUrl, token,
            """{"column":{"title":"Microcredential status","hidden":false,"teacher_notes":false,"read_only":true}}""");
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        var column = await AgsTests.JsonAsync(created);
        Contract.AssertShape(Contract.Body("07d_rest_custom_gradebook_columns_create.json"), column, rest: true);
        var id = column.GetProperty("id").GetInt64();

        var list = await tool.SendAsync(HttpMethod.Get, columnsUrl, token);
        var columns = await AgsTests.JsonAsync(list);
        Contract.AssertShape(Contract.Body("07c_rest_custom_gradebook_columns_list.json"), columns, rest: true);
        Assert.Equal(["Notes", "Microcredential status"], columns.EnumerateArray().Select(c => c.GetProperty("title").GetString()));

        var updated = await tool.SendAsync(HttpMethod.Put, $"{columnsUrl}/{id}", token, """{"column":{"title":"Microcredential status (v2)"}}""");
        var updatedJson = await AgsTests.JsonAsync(updated);
        Contract.AssertShape(Contract.Body("07e_rest_custom_gradebook_columns_update.json"), updatedJson, rest: true);
        Assert.Equal("Microcredential status (v2)", updatedJson.GetProperty("title").GetString());
        Assert.True(updatedJson.GetProperty("read_only").GetBoolean());

        var datum = await tool.Http.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"{columnsUrl}/{id}/data/{Ada}")
        {
            Headers = { Authorization = new("Bearer", token) },
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["column_data[content]"] = "Approved" }),
        });
        var datumJson = await AgsTests.JsonAsync(datum);
        Contract.AssertShape(Contract.Body("07f_rest_custom_gradebook_column_data_update.json"), datumJson, rest: true);
        Assert.Equal(Ada, datumJson.GetProperty("user_id").GetInt64());
        var data = await AgsTests.JsonAsync(await tool.SendAsync(HttpMethod.Get, $"{columnsUrl}/{id}/data", token));
        Assert.Equal("Approved", Assert.Single(data.EnumerateArray()).GetProperty("content").GetString());

        var blank = await tool.SendAsync(HttpMethod.Post, columnsUrl, token, """{"column":{"title":""}}""");
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
    }

    [Fact]
    public async Task CustomColumns_AreRefusedToALearner()
    {
        var (token, _) = await tool.RestTokensAsync("teacher-ada");

        var response = await tool.SendAsync(HttpMethod.Get, CourseApi + "/custom_gradebook_columns", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthorized", (await AgsTests.JsonAsync(response)).GetProperty("status").GetString());
    }
}
