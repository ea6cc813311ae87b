using System.Text.Json.Nodes;
using LtiMicroCred.Canvas;
using LtiMicroCred.Canvas.Paging;
using LtiMicroCred.CanvasTests.Infrastructure;
using WireMock.RequestBuilders;
using static LtiMicroCred.CanvasTests.Infrastructure.CanvasHarness;

namespace LtiMicroCred.CanvasTests;

public sealed class PagingTests : IDisposable
{
    private const string SubmissionsPath = "/api/v1/courses/4321/assignments/987/submissions";
    private const string Includes = "include%5B%5D=submission_history&include%5B%5D=submission_comments&include%5B%5D=user";
    private readonly CanvasHarness _h = new();
    private readonly ContractFile _contract = ContractFile.Load("06b_rest_submissions_list");

    [Fact]
    public async Task ListSubmissions_FollowsNextLinksVerbatimAcrossThreePages()
    {
        var (page2, page3) = StubThreePages(withLast: true);

        var ids = new List<long>();
        await foreach (var submission in _h.Teacher.ListSubmissionsAsync(CourseId, AssignmentId))
        {
            ids.Add(submission.Id);
        }

        Assert.Equal([1001, 1002, 2001, 2002, 3001, 3002], ids);
        var requests = _h.Canvas.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(
            [("include[]", "submission_history"), ("include[]", "submission_comments"), ("include[]", "user"), ("per_page", "100")],
            CanvasStub.QueryPairs(requests[0]));
        Assert.Equal(new Uri(page2).Query.TrimStart('?'), requests[1].RawQuery.TrimStart('?'));
        Assert.Equal(new Uri(page3).Query.TrimStart('?'), requests[2].RawQuery.TrimStart('?'));
        Assert.All(requests, r => Assert.Equal(SubmissionsPath, r.Path));
        Assert.All(requests, r => Assert.Equal("Bearer token-1", CanvasStub.Header(r, "Authorization")));
    }

    [Fact]
    public async Task ListSubmissions_WithoutLastLinks_StillReadsEveryPage()
    {
        StubThreePages(withLast: false);

        var submissions = await _h.Teacher.ListSubmissionsAsync(CourseId, AssignmentId).CollectAsync();

        Assert.Equal(6, submissions.Count);
        Assert.Equal(3, _h.Canvas.Requests.Count);
    }

    [Fact]
    public async Task ListSubmissions_StreamsPageByPage_FetchingTheNextPageOnlyWhenReached()
    {
        StubThreePages(withLast: true);

        await using var items = _h.Teacher.ListSubmissionsAsync(CourseId, AssignmentId).GetAsyncEnumerator();
        Assert.True(await items.MoveNextAsync());
        Assert.True(await items.MoveNextAsync());
        Assert.Single(_h.Canvas.Requests);

        Assert.True(await items.MoveNextAsync());
        Assert.Equal(2001, items.Current.Id);
        Assert.Equal(2, _h.Canvas.Requests.Count);
    }

    [Fact]
    public async Task ListSubmissions_TokenExpiresMidRun_RefreshesOnceAndCarriesOn()
    {
        var page2 = PageUrl("bookmark:WzIwMDFd");
        var page3 = PageUrl("bookmark:WzMwMDFd");
        Stub(First(), Body(1), Links(page2), priority: 5);
        _h.Canvas.Server.Given(Page("bookmark:WzIwMDFd").WithHeader("Authorization", "Bearer token-1")).AtPriority(1)
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(401)
                .WithHeader("WWW-Authenticate", "Bearer realm=\"canvas-lms\"")
                .WithHeader("Content-Type", "application/json; charset=utf-8")
                .WithBody("""{"errors":[{"message":"Invalid access token."}]}"""));
        Stub(Page("bookmark:WzIwMDFd").WithHeader("Authorization", "Bearer token-2"), Body(2), Links(page3));
        Stub(Page("bookmark:WzMwMDFd"), Body(3), Links(null));

        var submissions = await _h.Teacher.ListSubmissionsAsync(CourseId, AssignmentId).CollectAsync();

        Assert.Equal(6, submissions.Count);
        Assert.Equal(
            ["Bearer token-1", "Bearer token-1", "Bearer token-2", "Bearer token-2"],
            _h.Canvas.Requests.Select(r => CanvasStub.Header(r, "Authorization")));
        var refresh = Assert.Single(_h.Tokens.Refreshes);
        Assert.Equal("token-1", refresh.Rejected);
        Assert.Equal(_h.Client.BaseUrl, refresh.User.CanvasBaseUrl);
        Assert.Equal("teacher-5001", refresh.User.UserId);
    }

    [Fact]
    public async Task ListSubmissions_NextLinkToAnotherHost_IsRefusedWithoutSendingTheToken()
    {
        using var elsewhere = new CanvasStub();
        Stub(First(), Body(1), Links(elsewhere.CanvasUrl + SubmissionsPath + "?page=2&per_page=100"), priority: 5);

        var error = await Assert.ThrowsAsync<CanvasException>(() => _h.Teacher.ListSubmissionsAsync(CourseId, AssignmentId).CollectAsync());

        Assert.Contains("another host", error.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.Requests);
        Assert.Single(_h.Canvas.Requests);
    }

    private (string Page2, string Page3) StubThreePages(bool withLast)
    {
        var page2 = PageUrl("bookmark:WzIwMDFd");
        var page3 = PageUrl("bookmark:WzMwMDFd");
        var last = withLast ? page3 : null;
        Stub(First(), Body(1), Links(page2, last), priority: 5);
        Stub(Page("bookmark:WzIwMDFd"), Body(2), Links(page3, last));
        Stub(Page("bookmark:WzMwMDFd"), Body(3), Links(null, last));
        return (page2, page3);
    }

    // Canvas's bookmark pages are opaque strings; the client must follow them as sent, never count pages itself.
    private string PageUrl(string page) => $"{_h.Canvas.CanvasUrl}{SubmissionsPath}?{Includes}&page={page}&per_page=100";

    private IRequestBuilder First() => _h.Canvas.Expect("GET", SubmissionsPath).WithParam("per_page", "100");

    private IRequestBuilder Page(string page) => _h.Canvas.Expect("GET", SubmissionsPath).WithParam("page", page);

    // Page stubs outrank the first-page stub, which would also match their per_page=100.
    private void Stub(IRequestBuilder request, string body, Dictionary<string, string?> headers, int priority = 1) =>
        _h.Canvas.Server.Given(request)
            .AtPriority(priority)
            .RespondWith(_contract.Response(_h.Canvas.CanvasUrl, headers, body));

    private Dictionary<string, string?> Links(string? next, string? last = null)
    {
        var links = new List<string> { $"<{_h.Canvas.CanvasUrl}{SubmissionsPath}?{Includes}&page=first&per_page=100>; rel=\"first\"" };
        if (next is not null)
        {
            links.Insert(0, $"<{next}>; rel=\"next\"");
        }

        if (last is not null)
        {
            links.Add($"<{last}>; rel=\"last\"");
        }

        return new Dictionary<string, string?> { ["Link"] = string.Join(",", links) };
    }

    // The contract's two submissions, renumbered so each page's items are recognisable.
    private string Body(int page)
    {
        var items = _contract.ResponseBodyNode(_h.Canvas.CanvasUrl).AsArray();
        for (var i = 0; i < items.Count; i++)
        {
            items[i]!["id"] = (page * 1000) + i + 1;
        }

        return items.ToJsonString();
    }

    public void Dispose() => _h.Dispose();
}
