using System.Text.Json.Nodes;
using LtiMicroCred.Canvas.Models;
using LtiMicroCred.Canvas.Paging;
using LtiMicroCred.CanvasTests.Infrastructure;
using WireMock;
using static LtiMicroCred.CanvasTests.Infrastructure.CanvasHarness;

namespace LtiMicroCred.CanvasTests;

public sealed class CommentsAndColumnsTests : IDisposable
{
    private const string ColumnsPath = "/api/v1/courses/4321/custom_gradebook_columns";
    private readonly CanvasHarness _h = new();

    [Fact]
    public async Task AddSubmissionComment_PutsCommentTextAsJson_ReturnsSubmissionWithComments()
    {
        var contract = ContractFile.Load("08_rest_submission_comment_put");
        _h.Canvas.Server.Given(_h.Canvas.Expect("PUT", "/api/v1/courses/4321/assignments/987/submissions/7001"))
            .RespondWith(contract.Response(_h.Canvas.CanvasUrl));

        var submission = await _h.Teacher.AddSubmissionCommentAsync(CourseId, AssignmentId, StudentId, new SubmissionCommentDraft
        {
            TextComment = "Automated review: 2 citation issues found (see report).",
            GroupComment = false,
            Attempt = 2,
        });

        var request = Assert.Single(_h.Canvas.Requests);
        AssertJsonWrite(request, "PUT", contract);
        Assert.Equal(2, submission.SubmissionComments!.Count);
        Assert.Equal("Automated review: 2 citation issues found (see report).", submission.SubmissionComments[1].Comment);
        Assert.Equal(310778, Assert.Single(submission.AllSubmissions!).Id);
    }

    [Fact]
    public async Task ListCustomColumns_PagesWithPerPage_AndAsksForHiddenOnlyWhenTold()
    {
        var contract = ContractFile.Load("07c_rest_custom_gradebook_columns_list");
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", ColumnsPath)).RespondWith(contract.Response(_h.Canvas.CanvasUrl));

        var visible = await _h.Teacher.ListCustomColumnsAsync(CourseId).CollectAsync();
        var all = await _h.Teacher.ListCustomColumnsAsync(CourseId, includeHidden: true).CollectAsync();

        Assert.Equal(2, visible.Count);
        Assert.Equal(2, all.Count);
        Assert.Equal("Tool review status", visible[0].Title);
        Assert.Equal(true, visible[0].ReadOnly);
        Assert.Equal(true, visible[1].TeacherNotes);
        var requests = _h.Canvas.Requests;
        Assert.Equal("per_page=100", requests[0].RawQuery.TrimStart('?'));
        Assert.Equal(["true"], CanvasStub.Query(requests[1], "include_hidden"));
        Assert.All(requests, r => Assert.Equal("Bearer token-1", CanvasStub.Header(r, "Authorization")));
    }

    [Fact]
    public async Task CreateCustomColumn_PostsColumnFields_ReadsTheColumn()
    {
        var contract = ContractFile.Load("07d_rest_custom_gradebook_columns_create");
        _h.Canvas.Server.Given(_h.Canvas.Expect("POST", ColumnsPath)).RespondWith(contract.Response(_h.Canvas.CanvasUrl));

        var column = await _h.Teacher.CreateCustomColumnAsync(CourseId, new CustomColumnDefinition
        {
            Title = "Tool review status",
            Position = 1,
            Hidden = false,
            TeacherNotes = false,
            ReadOnly = true,
        });

        AssertJsonWrite(Assert.Single(_h.Canvas.Requests), "POST", contract);
        Assert.Equal(412, column.Id);
        Assert.Equal(1, column.Position);
    }

    [Fact]
    public async Task UpdateCustomColumn_SendsOnlyTheFieldsSet()
    {
        var contract = ContractFile.Load("07e_rest_custom_gradebook_columns_update");
        _h.Canvas.Server.Given(_h.Canvas.Expect("PUT", ColumnsPath + "/412")).RespondWith(contract.Response(_h.Canvas.CanvasUrl));

        var column = await _h.Teacher.UpdateCustomColumnAsync(CourseId, 412, new CustomColumnDefinition { Title = "Tool review status (v2)", Hidden = false });

        var request = Assert.Single(_h.Canvas.Requests);
        AssertJsonWrite(request, "PUT", contract);
        Assert.DoesNotContain("position", request.Body, StringComparison.Ordinal);
        Assert.Equal("Tool review status (v2)", column.Title);
    }

    [Fact]
    public async Task SetCustomColumnDatum_PutsColumnDataContent_ReadsTheDatum()
    {
        var contract = ContractFile.Load("07f_rest_custom_gradebook_column_data_update");
        _h.Canvas.Server.Given(_h.Canvas.Expect("PUT", ColumnsPath + "/412/data/7001")).RespondWith(contract.Response(_h.Canvas.CanvasUrl));

        var datum = await _h.Teacher.SetCustomColumnDatumAsync(CourseId, 412, StudentId, "Reviewed 2025-03-15: 87.5/100");

        AssertJsonWrite(Assert.Single(_h.Canvas.Requests), "PUT", contract);
        Assert.Equal(StudentId, datum.UserId);
        Assert.Equal("Reviewed 2025-03-15: 87.5/100", datum.Content);
    }

    /// <summary>The write went out as the contract shows it: method, JSON media type, bearer token, same body.</summary>
    private static void AssertJsonWrite(IRequestMessage request, string method, ContractFile contract)
    {
        Assert.Equal(method, request.Method);
        Assert.Equal("Bearer token-1", CanvasStub.Header(request, "Authorization"));
        Assert.Equal("application/json", CanvasStub.Header(request, "Content-Type")?.Split(';')[0].Trim());
        Assert.Equal("application/json", CanvasStub.Header(request, "Accept"));
        Assert.True(string.IsNullOrEmpty(request.RawQuery.TrimStart('?')), "A write carries no query: " + request.RawQuery);
        JsonAssert.Equivalent(JsonNode.Parse(contract.RequestBody.GetRawText()), JsonNode.Parse(request.Body!));
    }

    public void Dispose() => _h.Dispose();
}
