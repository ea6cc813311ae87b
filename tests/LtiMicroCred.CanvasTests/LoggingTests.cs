using LtiMicroCred.Canvas.Models;
using LtiMicroCred.Canvas.Paging;
using LtiMicroCred.CanvasTests.Infrastructure;
using Microsoft.Extensions.Logging;
using WireMock.ResponseBuilders;
using static LtiMicroCred.CanvasTests.Infrastructure.CanvasHarness;

namespace LtiMicroCred.CanvasTests;

public sealed class LoggingTests : IDisposable
{
    private const string SubmissionsPath = "/api/v1/courses/4321/assignments/987/submissions";
    private readonly CanvasHarness _h = new();

    [Fact]
    public async Task EveryAnswer_IsLoggedWithMethodPathStatusCostAndRemaining()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", SubmissionsPath))
            .RespondWith(ContractFile.Load("06b_rest_submissions_list").Response(_h.Canvas.CanvasUrl));

        await _h.Teacher.ListSubmissionsAsync(CourseId, AssignmentId).CollectAsync();

        var line = Assert.Single(_h.Logs.Lines, l => l.Message.Contains("answered", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Debug, line.Level);
        Assert.StartsWith($"Canvas GET {_h.Canvas.Server.Url}{SubmissionsPath} answered 200 in ", line.Message, StringComparison.Ordinal);
        Assert.EndsWith("(cost 0.0871, remaining 541.12)", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFullRun_LogsNoTokenNoQueryAndNoStudentData()
    {
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", SubmissionsPath)).InScenario("run").WillSetStateTo("expired")
            .RespondWith(ContractFile.Load("06b_rest_submissions_list").Response(_h.Canvas.CanvasUrl));
        _h.Canvas.Server.Given(_h.Canvas.Expect("PUT", SubmissionsPath + "/7001")).InScenario("run").WhenStateIs("expired").WillSetStateTo("refreshed")
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("WWW-Authenticate", "Bearer realm=\"canvas-lms\"")
                .WithBody("""{"errors":[{"message":"Invalid access token."}]}"""));
        _h.Canvas.Server.Given(_h.Canvas.Expect("PUT", SubmissionsPath + "/7001")).InScenario("run").WhenStateIs("refreshed")
            .RespondWith(ContractFile.Load("08_rest_submission_comment_put").Response(_h.Canvas.CanvasUrl));
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", "/files/240551/download"))
            .RespondWith(Response.Create().WithBody("Priya Raman's essay text"));

        var submissions = await _h.Teacher.ListSubmissionsAsync(CourseId, AssignmentId).CollectAsync();
        await _h.Teacher.AddSubmissionCommentAsync(CourseId, AssignmentId, StudentId, new SubmissionCommentDraft { TextComment = "Strong thesis, Priya." });
        using var file = new MemoryStream();
        await _h.Teacher.DownloadFileAsync(submissions[0].Attachments![0], file);

        var everything = string.Join("\n", _h.Logs.Lines.Select(l => l.Message));
        Assert.Contains("refreshing it once", everything, StringComparison.Ordinal);
        foreach (var secret in new[] { "token-1", "token-2", "Bearer", "Priya", "Raman", "thesis", "verifier", "download_frd", "include", "?" })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _h.Dispose();
}
