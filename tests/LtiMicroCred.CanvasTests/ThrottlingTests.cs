using System.Net;
using LtiMicroCred.Canvas;
using LtiMicroCred.Canvas.Models;
using LtiMicroCred.CanvasTests.Infrastructure;
using WireMock.ResponseBuilders;
using static LtiMicroCred.CanvasTests.Infrastructure.CanvasHarness;

namespace LtiMicroCred.CanvasTests;

public sealed class ThrottlingTests : IDisposable
{
    private const string FilePath = "/api/v1/files/240551";
    private readonly CanvasHarness _h = new();
    private readonly ContractFile _file = ContractFile.Load("07b_rest_file_show");
    private readonly ContractFile _throttled = ContractFile.Load("10_error_throttled");

    [Fact]
    public async Task NearlyEmptyBucket_ClientWaitsFirst_ThenRidesOutA403ThrottleReply()
    {
        // Canvas says 5 units are left (cost 1), then refuses with its throttle reply, then answers.
        var scenario = "bucket";
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", FilePath)).InScenario(scenario).WillSetStateTo("drained")
            .RespondWith(_file.Response(_h.Canvas.CanvasUrl, new Dictionary<string, string?> { ["X-Rate-Limit-Remaining"] = "5.0", ["X-Request-Cost"] = "1.0" }));
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", FilePath)).InScenario(scenario).WhenStateIs("drained").WillSetStateTo("refused")
            .RespondWith(_throttled.Response(_h.Canvas.CanvasUrl));
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", FilePath)).InScenario(scenario).WhenStateIs("refused").WillSetStateTo("served")
            .RespondWith(_file.Response(_h.Canvas.CanvasUrl));
        var requestsSeenAtEachWait = new List<int>();
        _h.Time.OnDelay = _ => requestsSeenAtEachWait.Add(_h.Canvas.Requests.Count);

        await _h.Teacher.GetFileAsync(240551);
        Assert.Empty(_h.Time.Delays);

        var file = await _h.Teacher.GetFileAsync(240551);

        Assert.Equal(240551, file.Id);
        Assert.Equal(3, _h.Canvas.Requests.Count);
        var delays = _h.Time.Delays;

        // Before the second request: (threshold 100 - (5 left - 1 per request)) / 10 units per second.
        Assert.Equal(TimeSpan.FromSeconds(9.6), delays[0]);
        Assert.Equal(1, requestsSeenAtEachWait[0]);

        // After the refusal (0 left): a jittered backoff, then the rest of the time the bucket needs to refill to the
        // threshold, (100 - (0 - 1)) / 10 = 10.1 s in all.
        Assert.True(delays[1] > TimeSpan.Zero);
        Assert.Equal(2, requestsSeenAtEachWait[1]);
        Assert.InRange(delays.Skip(1).Sum(d => d.TotalSeconds), 10.09, 10.11);
    }

    [Fact]
    public async Task PlentyLeftInTheBucket_NoWaiting()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", FilePath)).RespondWith(_file.Response(_h.Canvas.CanvasUrl));

        await _h.Teacher.GetFileAsync(240551);
        await _h.Teacher.GetFileAsync(240551);

        Assert.Equal(2, _h.Canvas.Requests.Count);
        Assert.Empty(_h.Time.Delays);
    }

    [Fact]
    public async Task Status429_IsRetriedLikeTheThrottleReply()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", FilePath)).InScenario("429").WillSetStateTo("after")
            .RespondWith(_throttled.Response(_h.Canvas.CanvasUrl, body: "429 Too Many Requests (Rate Limit Exceeded)\n", status: 429));
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", FilePath)).InScenario("429").WhenStateIs("after")
            .RespondWith(_file.Response(_h.Canvas.CanvasUrl));

        var file = await _h.Teacher.GetFileAsync(240551);

        Assert.Equal(240551, file.Id);
        Assert.Equal(2, _h.Canvas.Requests.Count);
        Assert.NotEmpty(_h.Time.Delays);
    }

    [Fact]
    public async Task ThrottleRepliesBeyondTheRetryBudget_SurfaceAsRateLimitedApiException()
    {
        _h.Options.ThrottleRetries = 2;
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", FilePath)).RespondWith(_throttled.Response(_h.Canvas.CanvasUrl));

        var error = await Assert.ThrowsAsync<CanvasApiException>(() => _h.Teacher.GetFileAsync(240551));

        Assert.Equal(3, _h.Canvas.Requests.Count);
        Assert.True(error.IsRateLimited);
        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("403 Forbidden (Rate Limit Exceeded)", error.CanvasMessage);
        Assert.Equal("GET", error.Method);
        Assert.Equal(FilePath, error.Path);
    }

    [Fact]
    public async Task PermissionRefused403_IsNotMistakenForTheThrottle()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", FilePath)).RespondWith(Response.Create().WithStatusCode(403)
            .WithHeader("Content-Type", "application/json; charset=utf-8")
            .WithBody("""{"status":"unauthorized","errors":[{"message":"user not authorized to perform that action"}]}"""));

        var error = await Assert.ThrowsAsync<CanvasApiException>(() => _h.Teacher.GetFileAsync(240551));

        Assert.Single(_h.Canvas.Requests);
        Assert.False(error.IsRateLimited);
        Assert.Equal("user not authorized to perform that action", error.CanvasMessage);
        Assert.Empty(_h.Time.Delays);
    }

    [Fact]
    public async Task ThrottleReplyToACreate_IsRetried_BecauseCanvasRefusedBeforeActing()
    {
        var create = ContractFile.Load("07d_rest_custom_gradebook_columns_create");
        const string path = "/api/v1/courses/4321/custom_gradebook_columns";
        _h.Canvas.Server.Given(_h.Canvas.Expect("POST", path)).InScenario("create").WillSetStateTo("after")
            .RespondWith(_throttled.Response(_h.Canvas.CanvasUrl));
        _h.Canvas.Server.Given(_h.Canvas.Expect("POST", path)).InScenario("create").WhenStateIs("after")
            .RespondWith(create.Response(_h.Canvas.CanvasUrl));

        var column = await _h.Teacher.CreateCustomColumnAsync(CourseId, new CustomColumnDefinition { Title = "Tool review status" });

        Assert.Equal(412, column.Id);
        Assert.Equal(2, _h.Canvas.Requests.Count);
    }

    public void Dispose() => _h.Dispose();
}
