using System.Globalization;
using System.Text.Json.Nodes;
using LtiMicroCred.Sandbox.Http;
using LtiMicroCred.Sandbox.OAuth;
using LtiMicroCred.Sandbox.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace LtiMicroCred.Sandbox.Rest;

/// <summary>
/// The slice of Canvas's REST API the tool reads evidence with: assignments, submissions (with history, comments
/// and user), files and their download, and submission comments. Every call acts as the person whose token it
/// carries: a grader (instructor, TA, administrator) sees everyone, a learner only their own work.
/// </summary>
internal static partial class SandboxRestEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var course = api.MapGroup("/v1/courses/{courseId}");
        course.MapGet("/assignments", ListAssignments);
        course.MapGet("/assignments/{assignmentId}", ShowAssignment);
        course.MapGet("/assignments/{assignmentId}/submissions", ListSubmissions);
        course.MapGet("/assignments/{assignmentId}/submissions/{userId}", ShowSubmission);
        course.MapPut("/assignments/{assignmentId}/submissions/{userId}", UpdateSubmissionAsync);
        course.MapGet("/files/{fileId}", ShowCourseFile);
        api.MapGet("/v1/files/{fileId}", ShowFile);
    }

    /// <summary>The file bytes behind a File's url; outside /api, like Canvas's /files/:id/download.</summary>
    public static void MapDownload(IEndpointRouteBuilder sandbox) => sandbox.MapGet("/files/{fileId}/download", Download);

    private static IResult ListAssignments(HttpContext context, string courseId, SandboxLms lms, SandboxStore store, SandboxAccessTokens tokens, SandboxCanvasJson json)
    {
        var (person, refused) = SandboxApiAuth.RequireUser(context, lms, tokens);
        if (person is null)
        {
            return refused!;
        }

        if (lms.FindCourseByCanvasId(courseId) is not { } course)
        {
            return SandboxJson.NotFound();
        }

        var page = SandboxPaging.Page(context, lms, store.Assignments(course.Id), "per_page");
        return SandboxJson.Ok(SandboxJson.Array(page.Select(a => (JsonNode)json.Assignment(course, a))), SandboxMediaTypes.Json);
    }

    private static IResult ShowAssignment(
        HttpContext context,
        string courseId,
        string assignmentId,
        SandboxLms lms,
        SandboxStore store,
        SandboxAccessTokens tokens,
        SandboxCanvasJson json)
    {
        var (person, refused) = SandboxApiAuth.RequireUser(context, lms, tokens);
        if (person is null)
        {
            return refused!;
        }

        return FindAssignment(lms, store, courseId, assignmentId) is ({ } course, { } assignment)
            ? SandboxJson.Ok(json.Assignment(course, assignment), SandboxMediaTypes.Json)
            : SandboxJson.NotFound();
    }

    private static IResult ListSubmissions(
        HttpContext context,
        string courseId,
        string assignmentId,
        SandboxLms lms,
        SandboxStore store,
        SandboxAccessTokens tokens,
        SandboxCanvasJson json)
    {
        var (person, refused) = SandboxApiAuth.RequireUser(context, lms, tokens);
        if (person is null)
        {
            return refused!;
        }

        if (FindAssignment(lms, store, courseId, assignmentId) is not ({ } course, { } assignment))
        {
            return SandboxJson.NotFound();
        }

        var visible = store.Submissions(assignment.Id).Where(s => person.CanGrade || s.UserId == person.CanvasId).ToList();
        var includes = SandboxCanvasJson.ReadIncludes(context.Request.Query["include[]"]);
        var page = SandboxPaging.Page(context, lms, visible, "per_page");
        return SandboxJson.Ok(SandboxJson.Array(page.Select(s => (JsonNode)json.Submission(course, assignment, s, includes))), SandboxMediaTypes.Json);
    }

    private static IResult ShowSubmission(
        HttpContext context,
        string courseId,
        string assignmentId,
        string userId,
        SandboxLms lms,
        SandboxStore store,
        SandboxAccessTokens tokens,
        SandboxCanvasJson json)
    {
        var (person, refused) = SandboxApiAuth.RequireUser(context, lms, tokens);
        if (person is null)
        {
            return refused!;
        }

        if (FindAssignment(lms, store, courseId, assignmentId) is not ({ } course, { } assignment)
            || FindSubmission(store, assignment, person, userId) is not { } submission)
        {
            return SandboxJson.NotFound();
        }

        if (!person.CanGrade && submission.UserId != person.CanvasId)
        {
            return SandboxJson.RestForbiddenAction();
        }

        var includes = SandboxCanvasJson.ReadIncludes(context.Request.Query["include[]"]);
        return SandboxJson.Ok(json.Submission(course, assignment, submission, includes), SandboxMediaTypes.Json);
    }

    /// <summary>
    /// Adds a comment (<c>comment[text_comment]</c>) and, for graders, a grade (<c>submission[posted_grade]</c>, points
    /// only). The comment's author is the token's person, as in Canvas.
    /// </summary>
    private static async Task<IResult> UpdateSubmissionAsync(
        HttpContext context,
        string courseId,
        string assignmentId,
        string userId,
        SandboxLms lms,
        SandboxStore store,
        SandboxAccessTokens tokens,
        SandboxCanvasJson json,
        TimeProvider timeProvider,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var (person, refused) = SandboxApiAuth.RequireUser(context, lms, tokens);
        if (person is null)
        {
            return refused!;
        }

        if (FindAssignment(lms, store, courseId, assignmentId) is not ({ } course, { } assignment)
            || FindSubmission(store, assignment, person, userId) is not { } submission)
        {
            return SandboxJson.NotFound();
        }

        if (!person.CanGrade && submission.UserId != person.CanvasId)
        {
            return SandboxJson.RestForbiddenAction();
        }

        var fields = await SandboxRequestBody.ReadAsync(context.Request, cancellationToken);
        if (fields is null)
        {
            return SandboxJson.RestError(StatusCodes.Status400BadRequest, "The body must be a form or a JSON object.");
        }

        var logger = loggers.CreateLogger(SandboxEndpoints.LogCategory);
        var now = timeProvider.GetUtcNow();
        if (fields.TryGetValue("submission[posted_grade]", out var posted) && posted.Length > 0)
        {
            if (!person.CanGrade)
            {
                return SandboxJson.RestForbiddenAction();
            }

            if (!double.TryParse(posted, NumberStyles.Float, CultureInfo.InvariantCulture, out var points) || points < 0)
            {
                return SandboxJson.RestError(StatusCodes.Status400BadRequest, "The sandbox takes submission[posted_grade] as points, e.g. 8.5.");
            }

            submission = store.Grade(assignment.Id, submission.UserId,
                new SandboxGrade(points, posted, now, person.CanvasId, submission.Current?.Number ?? 0));
            LogGraded(logger, assignment.Id, submission.UserId, person.Id);
        }

        if (fields.TryGetValue("comment[text_comment]", out var text) && !string.IsNullOrWhiteSpace(text))
        {
            int? attempt = fields.TryGetValue("comment[attempt]", out var a) && int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? n
                : submission.Current?.Number;
            submission = store.AddComment(assignment.Id, submission.UserId, new SandboxComment(0, person.CanvasId, text, now, attempt));
            LogCommented(logger, assignment.Id, submission.UserId, person.Id);
        }

        // Canvas answers with the submission, its comments always included, and all_submissions (one entry, no group).
        var body = json.Submission(course, assignment, submission, SandboxCanvasJson.Includes.Comments);
        body["all_submissions"] = new JsonArray(json.Submission(course, assignment, submission, SandboxCanvasJson.Includes.None));
        return SandboxJson.Ok(body, SandboxMediaTypes.Json);
    }

    private static IResult ShowFile(HttpContext context, string fileId, SandboxLms lms, SandboxStore store, SandboxAccessTokens tokens, SandboxCanvasJson json) =>
        ShowFileIn(context, null, fileId, lms, store, tokens, json);

    private static IResult ShowCourseFile(
        HttpContext context,
        string courseId,
        string fileId,
        SandboxLms lms,
        SandboxStore store,
        SandboxAccessTokens tokens,
        SandboxCanvasJson json) =>
        lms.FindCourseByCanvasId(courseId) is { } course
            ? ShowFileIn(context, course, fileId, lms, store, tokens, json)
            : SandboxJson.NotFound();

    private static IResult ShowFileIn(
        HttpContext context,
        SandboxCourse? course,
        string fileId,
        SandboxLms lms,
        SandboxStore store,
        SandboxAccessTokens tokens,
        SandboxCanvasJson json)
    {
        var (person, refused) = SandboxApiAuth.RequireUser(context, lms, tokens);
        if (person is null)
        {
            return refused!;
        }

        var file = FindFile(store, fileId);
        if (file is null || (course is not null && file.CourseId != course.Id))
        {
            return SandboxJson.NotFound();
        }

        return MayRead(person, file) ? SandboxJson.Ok(json.File(file, withPreview: false), SandboxMediaTypes.Json) : SandboxJson.RestForbiddenAction();
    }

    /// <summary>
    /// Serves a file's bytes to whoever holds its verifier (the URL Canvas hands out in File objects), or to a
    /// token holder allowed to read it.
    /// </summary>
    private static IResult Download(HttpContext context, string fileId, SandboxLms lms, SandboxStore store, SandboxAccessTokens tokens, ILoggerFactory loggers)
    {
        var file = FindFile(store, fileId);
        if (file is null)
        {
            return SandboxJson.NotFound();
        }

        var verifier = context.Request.Query["verifier"].ToString();
        var verified = verifier.Length > 0 && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(verifier), System.Text.Encoding.UTF8.GetBytes(file.Uuid));
        if (!verified)
        {
            var (person, refused) = SandboxApiAuth.RequireUser(context, lms, tokens);
            if (person is null)
            {
                return refused!;
            }

            if (!MayRead(person, file))
            {
                return SandboxJson.RestForbiddenAction();
            }
        }

        var logger = loggers.CreateLogger(SandboxEndpoints.LogCategory);
        LogDownloaded(logger, file.Id);
        // Evidence is someone's upload: never let a browser run it as a page of this origin.
        context.Response.Headers.ContentSecurityPolicy = "sandbox";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(file.DisplayName);
        context.Response.Headers.ContentDisposition = disposition.ToString();
        return Results.Bytes(file.Content, file.ContentType);
    }

    private static bool MayRead(SandboxPerson person, SandboxFile file) => person.CanGrade || file.OwnerUserId == person.CanvasId;

    private static SandboxFile? FindFile(SandboxStore store, string fileId) =>
        long.TryParse(fileId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? store.FindFile(id) : null;

    private static (SandboxCourse? Course, SandboxAssignment? Assignment) FindAssignment(SandboxLms lms, SandboxStore store, string courseId, string assignmentId)
    {
        var course = lms.FindCourseByCanvasId(courseId);
        return course is not null && long.TryParse(assignmentId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? (course, store.FindAssignment(course.Id, id))
            : (course, null);
    }

    /// <summary>Finds a student's submission by numeric user id, or "self" for the token's own person, as Canvas allows.</summary>
    private static SandboxSubmission? FindSubmission(SandboxStore store, SandboxAssignment assignment, SandboxPerson caller, string userId)
    {
        long id;
        if (userId == "self")
        {
            id = caller.CanvasId;
        }
        else if (!long.TryParse(userId, NumberStyles.None, CultureInfo.InvariantCulture, out id))
        {
            return null;
        }

        return store.FindSubmission(assignment.Id, id);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox LMS: {PersonId} commented on the submission of user {UserId} for assignment {AssignmentId}")]
    private static partial void LogCommented(ILogger logger, long assignmentId, long userId, string personId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox LMS: {PersonId} graded the submission of user {UserId} for assignment {AssignmentId}")]
    private static partial void LogGraded(ILogger logger, long assignmentId, long userId, string personId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox LMS served file {FileId}")]
    private static partial void LogDownloaded(ILogger logger, long fileId);
}
