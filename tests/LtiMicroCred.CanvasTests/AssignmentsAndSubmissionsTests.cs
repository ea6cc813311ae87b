using LtiMicroCred.Canvas.Paging;
using LtiMicroCred.CanvasTests.Infrastructure;
using static LtiMicroCred.CanvasTests.Infrastructure.CanvasHarness;

namespace LtiMicroCred.CanvasTests;

public sealed class AssignmentsAndSubmissionsTests : IDisposable
{
    private const string AssignmentsPath = "/api/v1/courses/4321/assignments";
    private const string SubmissionsPath = "/api/v1/courses/4321/assignments/987/submissions";
    private readonly CanvasHarness _h = new();

    [Fact]
    public async Task ListAssignments_SendsBearerAcceptAndPerPage_ReadsTypedAssignments()
    {
        var contract = ContractFile.Load("06a_rest_assignments_list");
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", AssignmentsPath)).RespondWith(contract.Response(_h.Canvas.CanvasUrl));

        var assignments = await _h.Teacher.ListAssignmentsAsync(CourseId).CollectAsync();

        var request = Assert.Single(_h.Canvas.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal(AssignmentsPath, request.Path);
        Assert.Equal("per_page=100", request.RawQuery.TrimStart('?'));
        Assert.Equal("Bearer token-1", CanvasStub.Header(request, "Authorization"));
        Assert.Equal("application/json", CanvasStub.Header(request, "Accept"));

        Assert.Equal(2, assignments.Count);
        var essay = assignments[0];
        Assert.Equal(987, essay.Id);
        Assert.Equal("Essay 1 (tool-graded)", essay.Name);
        Assert.Equal(100.0, essay.PointsPossible);
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 23, 59, 0, TimeSpan.Zero), essay.DueAt);
        Assert.Null(essay.LockAt);
        Assert.Equal(["external_tool"], essay.SubmissionTypes);
        Assert.Equal("ab81d2c3e4f5a6b7c8d9", essay.ExternalToolTagAttributes?.ResourceLinkId);
        Assert.Null(assignments[1].ExternalToolTagAttributes);
        Assert.Equal(["docx", "pdf"], assignments[1].AllowedExtensions);
    }

    [Fact]
    public async Task ListSubmissions_AsksForHistoryCommentsAndUser_ReadsNestedObjects()
    {
        var contract = ContractFile.Load("06b_rest_submissions_list");
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", SubmissionsPath)).RespondWith(contract.Response(_h.Canvas.CanvasUrl));

        var submissions = await _h.Teacher.ListSubmissionsAsync(CourseId, AssignmentId).CollectAsync();

        var request = Assert.Single(_h.Canvas.Requests);
        Assert.Equal(["submission_history", "submission_comments", "user"], CanvasStub.Query(request, "include[]"));
        Assert.Equal(["100"], CanvasStub.Query(request, "per_page"));
        Assert.Equal("Bearer token-1", CanvasStub.Header(request, "Authorization"));

        Assert.Equal(2, submissions.Count);
        var graded = submissions[0];
        Assert.Equal(310778, graded.Id);
        Assert.Equal(StudentId, graded.UserId);
        Assert.Equal(87.5, graded.Score);
        Assert.Equal(-4410, graded.GraderId);
        var attachment = Assert.Single(graded.Attachments!);
        Assert.Equal(240551, attachment.Id);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", attachment.ContentType);
        Assert.Equal(48213, attachment.Size);
        Assert.StartsWith(_h.Canvas.CanvasUrl + "/files/240551/download?", attachment.Url, StringComparison.Ordinal);
        Assert.Equal(2, graded.SubmissionHistory!.Count);
        Assert.Equal(240410, Assert.Single(graded.SubmissionHistory[0].Attachments!).Id);
        var comment = Assert.Single(graded.SubmissionComments!);
        Assert.Equal("Lee Okafor", comment.Author?.ShortName);
        Assert.Null(comment.MediaComment);
        Assert.Equal("Priya Raman", graded.User?.Name);

        var unsubmitted = submissions[1];
        Assert.Null(unsubmitted.Attachments);
        Assert.Null(unsubmitted.Attempt);
        Assert.Null(unsubmitted.SubmittedAt);
        Assert.Equal(true, unsubmitted.Missing);
        Assert.Empty(unsubmitted.SubmissionHistory!);
    }

    [Fact]
    public async Task GetSubmission_AddressesTheStudentByUserId_WithIncludes()
    {
        var contract = ContractFile.Load("07a_rest_submission_show");
        _h.Canvas.Server.Given(_h.Canvas.Expect("GET", SubmissionsPath + "/7001")).RespondWith(contract.Response(_h.Canvas.CanvasUrl));

        var submission = await _h.Teacher.GetSubmissionAsync(CourseId, AssignmentId, StudentId);

        var request = Assert.Single(_h.Canvas.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal(["submission_history", "submission_comments", "user"], CanvasStub.Query(request, "include[]"));
        Assert.Empty(CanvasStub.Query(request, "per_page"));
        Assert.Equal("Bearer token-1", CanvasStub.Header(request, "Authorization"));
        Assert.Equal("graded", submission.WorkflowState);
        Assert.Equal("87.5", submission.Grade);
        Assert.Equal(2, submission.SubmissionHistory!.Count);
        Assert.Equal("STU-700100", submission.User?.SisUserId);
    }

    public void Dispose() => _h.Dispose();
}
