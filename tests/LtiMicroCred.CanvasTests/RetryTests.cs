using System.Net;
using System.Net.Sockets;
using LtiMicroCred.Canvas;
using LtiMicroCred.Canvas.Models;
using LtiMicroCred.Canvas.Paging;
using LtiMicroCred.CanvasTests.Infrastructure;
using WireMock.ResponseBuilders;
using static LtiMicroCred.CanvasTests.Infrastructure.CanvasHarness;

namespace LtiMicroCred.CanvasTests;

public sealed class RetryTests : IDisposable
{
    private const string AssignmentsPath = "/api/v1/courses/4321/assignments";
    private readonly CanvasHarness _h = new();
    private readonly TaskCompletionSource _testOver = new(TaskCreationOptions.RunContinuationsAsynchronously);

    [Fact]
    public async Task ServiceUnavailable_ThenSuccess_IsRetriedAfterABackoff()
    {
        var contract = ContractFile.Load("06a_rest_assignments_list");
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", AssignmentsPath)).InScenario("5xx").WillSetStateTo("up")
            .RespondWith(Response.Create().WithStatusCode(503).WithBody("<html>upstream unavailable</html>"));
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", AssignmentsPath)).InScenario("5xx").WhenStateIs("up")
            .RespondWith(contract.Response(_h.Canvas.CanvasUrl));

        var assignments = await _h.Teacher.ListAssignmentsAsync(CourseId).CollectAsync();

        Assert.Equal(2, assignments.Count);
        Assert.Equal(2, _h.Canvas.Requests.Count);
        Assert.Equal(_h.Canvas.Requests[0].RawQuery, _h.Canvas.Requests[1].RawQuery);
        Assert.True(Assert.Single(_h.Time.Delays) > TimeSpan.Zero);
    }

    [Fact]
    public async Task ServerErrorsBeyondTheRetryBudget_SurfaceWithoutTheHtmlBody()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", AssignmentsPath))
            .RespondWith(Response.Create().WithStatusCode(500).WithHeader("Content-Type", "text/html").WithBody("<html><body>Internal error for Priya Raman</body></html>"));

        var error = await Assert.ThrowsAsync<CanvasApiException>(() => _h.Teacher.ListAssignmentsAsync(CourseId).CollectAsync());

        Assert.Equal(1 + _h.Options.TransientRetries, _h.Canvas.Requests.Count);
        Assert.Equal(_h.Options.TransientRetries, _h.Time.Delays.Count);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Null(error.CanvasMessage);
        Assert.DoesNotContain("Priya", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotFound_IsNotRetried_AndCarriesCanvasMessageMethodAndPath()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", "/api/v1/files/999")).RespondWith(Response.Create().WithStatusCode(404)
            .WithHeader("Content-Type", "application/json; charset=utf-8")
            .WithBody("""{"errors":[{"message":"The specified resource does not exist."}]}"""));

        var error = await Assert.ThrowsAsync<CanvasApiException>(() => _h.Teacher.GetFileAsync(999));

        Assert.Single(_h.Canvas.Requests);
        Assert.Empty(_h.Time.Delays);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("The specified resource does not exist.", error.CanvasMessage);
        Assert.Equal("GET", error.Method);
        Assert.Equal("/api/v1/files/999", error.Path);
        Assert.Contains("The specified resource does not exist.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("token-1", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ValidationError_SurfacesFieldAndMessage()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("POST", "/api/v1/courses/4321/custom_gradebook_columns")).RespondWith(Response.Create().WithStatusCode(400)
            .WithHeader("Content-Type", "application/json; charset=utf-8")
            .WithBody("""{"errors":{"title":[{"attribute":"title","type":"too_long","message":"too_long"}]}}"""));

        var error = await Assert.ThrowsAsync<CanvasApiException>(() =>
            _h.Teacher.CreateCustomColumnAsync(CourseId, new CustomColumnDefinition { Title = new string('x', 300) }));

        Assert.Equal("title: too_long", error.CanvasMessage);
        Assert.Equal("POST", error.Method);
        Assert.Single(_h.Canvas.Requests);
    }

    [Fact]
    public async Task ServerErrorOnACreate_IsNotRetried_SoTheColumnCannotBeCreatedTwice()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("POST", "/api/v1/courses/4321/custom_gradebook_columns"))
            .RespondWith(Response.Create().WithStatusCode(502));

        var error = await Assert.ThrowsAsync<CanvasApiException>(() =>
            _h.Teacher.CreateCustomColumnAsync(CourseId, new CustomColumnDefinition { Title = "Tool review status" }));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Single(_h.Canvas.Requests);
        Assert.Empty(_h.Time.Delays);
    }

    [Fact]
    public async Task ServerErrorOnAComment_IsNotRetried_SoTheCommentCannotBePostedTwice()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("PUT", "/api/v1/courses/4321/assignments/987/submissions/7001"))
            .RespondWith(Response.Create().WithStatusCode(500));

        await Assert.ThrowsAsync<CanvasApiException>(() =>
            _h.Teacher.AddSubmissionCommentAsync(CourseId, AssignmentId, StudentId, new SubmissionCommentDraft { TextComment = "Looks good." }));

        Assert.Single(_h.Canvas.Requests);
    }

    [Fact]
    public async Task ResetConnection_ThenSuccess_IsRetried()
    {
        var contract = ContractFile.Load("07b_rest_file_show");
        using var flaky = new RawHttpServer(resetFirst: 1, System.Text.Encoding.UTF8.GetBytes(contract.ResponseBodyText("http://127.0.0.1")));
        var client = _h.Registry.Get(new Uri(flaky.Url));

        var file = await client.ForUser("teacher-5001").GetFileAsync(240551);

        Assert.Equal(240551, file.Id);
        Assert.Equal(2, flaky.Connections);
        Assert.Single(_h.Time.Delays);
    }

    [Fact]
    public async Task NothingListening_FailsAfterBoundedRetries_WithAConnectionException()
    {
        var port = FreePort();
        var client = _h.Registry.Get(new Uri($"http://127.0.0.1:{port}"));

        var error = await Assert.ThrowsAsync<CanvasConnectionException>(() => client.ForUser("teacher-5001").GetFileAsync(1));

        Assert.Equal(_h.Options.TransientRetries, _h.Time.Delays.Count);
        Assert.Equal("/api/v1/files/1", error.Path);
        Assert.DoesNotContain("token-1", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowAnswer_TimesOutAndIsRetried_ThenReportedAsAConnectionFailure()
    {
        // Network timeouts are real time by nature. The stub holds every request until the test is over, so the
        // client's 100 ms timeout always fires first, whatever the machine's speed.
        _h.Options.RequestTimeout = TimeSpan.FromMilliseconds(100);
        _h.Options.TransientRetries = 1;
        var arrived = 0;
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", "/api/v1/files/240551")).RespondWith(Response.Create().WithCallback(async _ =>
        {
            Interlocked.Increment(ref arrived);
            await _testOver.Task;
            return new WireMock.ResponseMessage { StatusCode = 200 };
        }));

        var error = await Assert.ThrowsAsync<CanvasConnectionException>(() => _h.Teacher.GetFileAsync(240551));

        Assert.Contains("timed out", error.Message, StringComparison.Ordinal);
        // One back-off delay means the client tried twice. The second request can be cancelled by the client's own
        // timeout before the stub has read it, so the server-side count is 1 or 2, never more.
        Assert.Single(_h.Time.Delays);
        Assert.InRange(Volatile.Read(ref arrived), 1, 2);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _testOver.TrySetResult();
        _h.Dispose();
    }
}
