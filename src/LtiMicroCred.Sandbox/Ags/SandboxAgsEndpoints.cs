using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LtiMicroCred.Sandbox.Http;
using LtiMicroCred.Sandbox.OAuth;
using LtiMicroCred.Sandbox.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Sandbox.Ags;

/// <summary>
/// LTI Assignment and Grade Services 2.0 on Canvas's paths: line items, scores and results of a course. Request
/// bodies must carry the IMS media type the spec requires (Canvas is laxer; a tool that only works because of that
/// would fail on other platforms), and answers carry exactly the media types Canvas's controllers declare.
/// </summary>
internal static partial class SandboxAgsEndpoints
{
    private const string SubmissionTypeExtension = "https://canvas.instructure.com/lti/submission_type";
    private const string LaunchUrlExtension = "https://canvas.instructure.com/lti/launch_url";

    private static readonly HashSet<string> ActivityProgress =
        new(["Initialized", "Started", "InProgress", "Submitted", "Completed"], StringComparer.Ordinal);

    private static readonly HashSet<string> GradingProgress =
        new(["FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"], StringComparer.Ordinal);

    public static void Map(IEndpointRouteBuilder api)
    {
        var lineItems = api.MapGroup("/lti/courses/{courseId}/line_items");
        lineItems.MapGet("/", ListLineItems);
        lineItems.MapPost("/", CreateLineItemAsync);
        lineItems.MapGet("/{lineItemId}", ShowLineItem);
        lineItems.MapPut("/{lineItemId}", UpdateLineItemAsync);
        lineItems.MapDelete("/{lineItemId}", DeleteLineItem);
        lineItems.MapPost("/{lineItemId}/scores", PostScoreAsync);
        lineItems.MapGet("/{lineItemId}/results", ListResults);
        lineItems.MapGet("/{lineItemId}/results/{resultId}", ShowResult);
    }

    private static IResult ListLineItems(HttpContext context, string courseId, SandboxLms lms, SandboxStore store, SandboxAccessTokens tokens)
    {
        if (SandboxApiAuth.RequireScope(context, tokens, SandboxScopes.LineItem, SandboxScopes.LineItemReadOnly) is { } refused)
        {
            return refused;
        }

        if (lms.FindCourseByCanvasId(courseId) is not { } course)
        {
            return SandboxJson.NotFound();
        }

        var query = context.Request.Query;
        IEnumerable<SandboxLineItem> items = store.LineItems(course.Id);
        if (query.ContainsKey("tag"))
        {
            items = items.Where(li => li.Tag == query["tag"].ToString());
        }

        if (query.ContainsKey("resource_id"))
        {
            items = items.Where(li => li.ResourceId == query["resource_id"].ToString());
        }

        if (query.ContainsKey("resource_link_id"))
        {
            items = items.Where(li => li.ResourceLinkId == query["resource_link_id"].ToString());
        }

        var withLaunchUrl = IncludesLaunchUrl(context);
        var page = SandboxPaging.Page(context, lms, items.ToList(), "limit");
        return SandboxJson.Ok(SandboxJson.Array(page.Select(li => LineItemJson(lms, store, course, li, withLaunchUrl))),
            SandboxMediaTypes.LineItemContainer);
    }

    private static async Task<IResult> CreateLineItemAsync(
        HttpContext context,
        string courseId,
        SandboxLms lms,
        SandboxStore store,
        SandboxAccessTokens tokens,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (SandboxApiAuth.RequireScope(context, tokens, SandboxScopes.LineItem) is { } refused)
        {
            return refused;
        }

        if (lms.FindCourseByCanvasId(courseId) is not { } course)
        {
            return SandboxJson.NotFound();
        }

        var (body, problem) = await ReadBodyAsync(context, SandboxMediaTypes.LineItem, cancellationToken);
        if (body is not { } json)
        {
            return problem!;
        }

        var fields = ReadLineItemFields(json, creating: true, out var invalid);
        if (invalid is not null)
        {
            return SandboxJson.LtiError(StatusCodes.Status400BadRequest, "bad_request", invalid);
        }

        var resourceLinkId = OptionalString(json, "resourceLinkId");
        if (resourceLinkId is not null)
        {
            // Canvas: an unknown link is 404; a link in another course cannot take this course's line item (412).
            var link = store.FindResourceLink(resourceLinkId);
            if (link is null)
            {
                return SandboxJson.NotFound();
            }

            if (link.CourseId != course.Id)
            {
                return Results.StatusCode(StatusCodes.Status412PreconditionFailed);
            }
        }

        string? submissionType = null;
        if (json.TryGetProperty(SubmissionTypeExtension, out var extension))
        {
            var type = extension.ValueKind == JsonValueKind.Object && extension.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()
                : null;
            if (type is not ("none" or "external_tool"))
            {
                return SandboxJson.Ok(new JsonObject { ["error"] = $"Invalid submission_type for new assignment: {type ?? extension.GetRawText()}" },
                    SandboxMediaTypes.Json, StatusCodes.Status400BadRequest);
            }

            submissionType = extension.GetRawText();
        }

        var created = store.AddLineItem(new SandboxLineItem(0, course.Id, fields.ScoreMaximum!.Value, fields.Label!, fields.ResourceId,
            fields.Tag, resourceLinkId, fields.EndDateTime, submissionType, Coupled: false));
        var logger = loggers.CreateLogger(SandboxEndpoints.LogCategory);
        LogLineItemCreated(logger, created.Id, course.Id);
        var answer = LineItemJson(lms, store, course, created, withLaunchUrl: false);
        if (submissionType is not null)
        {
            // Canvas echoes the extension only in the answer to the create call.
            answer[SubmissionTypeExtension] = JsonNode.Parse(submissionType);
        }

        return SandboxJson.Ok(answer, SandboxMediaTypes.LineItem, StatusCodes.Status201Created);
    }

    private static IResult ShowLineItem(HttpContext context, string courseId, string lineItemId, SandboxLms lms, SandboxStore store, SandboxAccessTokens tokens)
    {
        if (SandboxApiAuth.RequireScope(context, tokens, SandboxScopes.LineItem, SandboxScopes.LineItemReadOnly) is { } refused)
        {
            return refused;
        }

        return Find(lms, store, courseId, lineItemId) is not ({ } course, { } lineItem)
            ? SandboxJson.NotFound()
            : SandboxJson.Ok(LineItemJson(lms, store, course, lineItem, IncludesLaunchUrl(context)), SandboxMediaTypes.LineItem);
    }

    private static async Task<IResult> UpdateLineItemAsync(
        HttpContext context,
        string courseId,
        string lineItemId,
        SandboxLms lms,
        SandboxStore store,
        SandboxAccessTokens tokens,
        CancellationToken cancellationToken)
    {
        if (SandboxApiAuth.RequireScope(context, tokens, SandboxScopes.LineItem) is { } refused)
        {
            return refused;
        }

        if (Find(lms, store, courseId, lineItemId) is not ({ } course, { } lineItem))
        {
            return SandboxJson.NotFound();
        }

        var (body, problem) = await ReadBodyAsync(context, SandboxMediaTypes.LineItem, cancellationToken);
        if (body is not { } json)
        {
            return problem!;
        }

        var fields = ReadLineItemFields(json, creating: false, out var invalid);
        if (invalid is not null)
        {
            return SandboxJson.LtiError(StatusCodes.Status400BadRequest, "bad_request", invalid);
        }

        // Canvas updates only what is sent (its documented arguments); the resource link cannot move.
        var updated = store.UpdateLineItem(course.Id, lineItem.Id, li => li with
        {
            ScoreMaximum = fields.ScoreMaximum ?? li.ScoreMaximum,
            Label = fields.Label ?? li.Label,
            ResourceId = json.TryGetProperty("resourceId", out _) ? fields.ResourceId : li.ResourceId,
            Tag = json.TryGetProperty("tag", out _) ? fields.Tag : li.Tag,
            EndDateTime = json.TryGetProperty("endDateTime", out _) ? fields.EndDateTime : li.EndDateTime,
        });
        return updated is null ? SandboxJson.NotFound() : SandboxJson.Ok(LineItemJson(lms, store, course, updated, false), SandboxMediaTypes.LineItem);
    }

    private static IResult DeleteLineItem(HttpContext context, string courseId, string lineItemId, SandboxLms lms, SandboxStore store, SandboxAccessTokens tokens)
    {
        if (SandboxApiAuth.RequireScope(context, tokens, SandboxScopes.LineItem) is { } refused)
        {
            return refused;
        }

        if (Find(lms, store, courseId, lineItemId) is not ({ } course, { } lineItem))
        {
            return SandboxJson.NotFound();
        }

        // A coupled line item belongs to its assignment; Canvas answers a bare 401.
        return store.DeleteLineItem(course.Id, lineItem.Id) switch
        {
            true => Results.NoContent(),
            false => Results.StatusCode(StatusCodes.Status401Unauthorized),
            null => SandboxJson.NotFound(),
        };
    }

    private static async Task<IResult> PostScoreAsync(
        HttpContext context,
        string courseId,
        string lineItemId,
        SandboxLms lms,
        SandboxStore store,
        SandboxAccessTokens tokens,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        if (SandboxApiAuth.RequireScope(context, tokens, SandboxScopes.Score) is { } refused)
        {
            return refused;
        }

        if (Find(lms, store, courseId, lineItemId) is not ({ } course, { } lineItem))
        {
            return SandboxJson.NotFound();
        }

        var (body, problem) = await ReadBodyAsync(context, SandboxMediaTypes.Score, cancellationToken);
        if (body is not { } json)
        {
            return problem!;
        }

        var score = ReadScore(json, out var invalid, out var status);
        if (score is null)
        {
            return SandboxJson.LtiError(status, status == StatusCodes.Status422UnprocessableEntity ? "unprocessable_entity" : "bad_request", invalid!);
        }

        var person = lms.FindPersonByAnyId(score.UserId);
        if (person is null || !person.IsStudent)
        {
            return SandboxJson.LtiError(StatusCodes.Status422UnprocessableEntity, "unprocessable_entity",
                $"User {score.UserId} not found in course or is not a student");
        }

        // Scores arrive on the tool's scale; Canvas stores them on the line item's.
        var graded = score.GradingProgress is "FullyGraded" or "PendingManual";
        double? resultScore = graded && score.ScoreGiven is { } given ? given * lineItem.ScoreMaximum / score.ScoreMaximum!.Value : null;
        var outcome = store.PostScore(new SandboxResult(0, lineItem.Id, person.Id, resultScore, lineItem.ScoreMaximum, score.Comment,
            score.Timestamp, score.ActivityProgress, score.GradingProgress));
        if (outcome.Result is not { } result)
        {
            return SandboxJson.LtiError(StatusCodes.Status400BadRequest, "bad_request",
                $"Provided timestamp of {score.TimestampText} before last updated timestamp of " +
                outcome.StoredTimestamp!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        }

        var logger = loggers.CreateLogger(SandboxEndpoints.LogCategory);
        LogScored(logger, lineItem.Id, person.Id, score.GradingProgress);
        return SandboxJson.Ok(new JsonObject { ["resultUrl"] = ResultUrl(lms, course, lineItem.Id, result.Id) }, SandboxMediaTypes.Score);
    }

    private static IResult ListResults(HttpContext context, string courseId, string lineItemId, SandboxLms lms, SandboxStore store, SandboxAccessTokens tokens)
    {
        if (SandboxApiAuth.RequireScope(context, tokens, SandboxScopes.ResultReadOnly) is { } refused)
        {
            return refused;
        }

        if (Find(lms, store, courseId, lineItemId) is not ({ } course, { } lineItem))
        {
            return SandboxJson.NotFound();
        }

        IEnumerable<SandboxResult> results = store.Results(lineItem.Id);
        if (context.Request.Query.TryGetValue("user_id", out var userId))
        {
            // Either id form is accepted; a user the LMS does not know simply has no result.
            var person = lms.FindPersonByAnyId(userId.ToString());
            results = results.Where(r => r.UserId == person?.Id);
        }

        var page = SandboxPaging.Page(context, lms, results.ToList(), "limit");
        return SandboxJson.Ok(SandboxJson.Array(page.Select(r => ResultJson(lms, course, r))), SandboxMediaTypes.ResultContainer);
    }

    private static IResult ShowResult(
        HttpContext context,
        string courseId,
        string lineItemId,
        string resultId,
        SandboxLms lms,
        SandboxStore store,
        SandboxAccessTokens tokens)
    {
        if (SandboxApiAuth.RequireScope(context, tokens, SandboxScopes.ResultReadOnly) is { } refused)
        {
            return refused;
        }

        if (Find(lms, store, courseId, lineItemId) is not ({ } course, { } lineItem) || !long.TryParse(resultId, CultureInfo.InvariantCulture, out var id))
        {
            return SandboxJson.NotFound();
        }

        var result = store.Results(lineItem.Id).FirstOrDefault(r => r.Id == id);
        // A single result still goes out as the container type: Canvas's controller has one MIME type for both.
        return result is null ? SandboxJson.NotFound() : SandboxJson.Ok(ResultJson(lms, course, result), SandboxMediaTypes.ResultContainer);
    }

    /// <summary>The AGS line item, compacted: absent members are left out, never sent as null.</summary>
    internal static JsonObject LineItemJson(SandboxLms lms, SandboxStore store, SandboxCourse course, SandboxLineItem li, bool withLaunchUrl)
    {
        var json = SandboxJson.Compact(
            ("id", lms.LineItemUrl(course, li.Id)),
            ("scoreMaximum", li.ScoreMaximum),
            ("label", li.Label),
            ("resourceId", li.ResourceId),
            ("tag", li.Tag),
            // Canvas keeps endDateTime (as the assignment's due date) but has no startDateTime, so neither does this.
            ("endDateTime", li.EndDateTime),
            ("resourceLinkId", li.ResourceLinkId));
        if (withLaunchUrl)
        {
            var link = li.ResourceLinkId is null ? null : store.FindResourceLink(li.ResourceLinkId);
            json[LaunchUrlExtension] = link?.Url ?? lms.ToolLaunchUrl;
        }

        return json;
    }

    private static JsonObject ResultJson(SandboxLms lms, SandboxCourse course, SandboxResult result) =>
        SandboxJson.Compact(
            ("id", ResultUrl(lms, course, result.LineItemId, result.Id)),
            ("scoreOf", lms.LineItemUrl(course, result.LineItemId)),
            ("userId", result.UserId),
            ("resultScore", result.ResultScore),
            ("resultMaximum", result.ResultMaximum),
            ("comment", result.Comment));

    private static string ResultUrl(SandboxLms lms, SandboxCourse course, long lineItemId, long resultId) =>
        lms.LineItemUrl(course, lineItemId) + "/results/" + resultId.ToString(CultureInfo.InvariantCulture);

    private static (SandboxCourse? Course, SandboxLineItem? LineItem) Find(SandboxLms lms, SandboxStore store, string courseId, string lineItemId)
    {
        var course = lms.FindCourseByCanvasId(courseId);
        return course is not null && long.TryParse(lineItemId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? (course, store.FindLineItem(course.Id, id))
            : (course, null);
    }

    private static bool IncludesLaunchUrl(HttpContext context) =>
        context.Request.Query["include[]"].Contains("launch_url");

    private static async Task<(JsonElement? Body, IResult? Problem)> ReadBodyAsync(HttpContext context, string mediaType, CancellationToken cancellationToken)
    {
        if (!SandboxJson.HasMediaType(context.Request, mediaType))
        {
            return (null, SandboxJson.LtiError(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type",
                $"Send the body as {mediaType}, as the AGS specification requires (it was '{context.Request.ContentType}')."));
        }

        var json = await SandboxRequestBody.ReadJsonAsync(context.Request, cancellationToken);
        return json is { ValueKind: JsonValueKind.Object }
            ? (json, null)
            : (null, SandboxJson.LtiError(StatusCodes.Status400BadRequest, "bad_request", "The body is not a JSON object."));
    }

    private sealed record LineItemFields(double? ScoreMaximum, string? Label, string? ResourceId, string? Tag, string? EndDateTime);

    private static LineItemFields ReadLineItemFields(JsonElement json, bool creating, out string? problem)
    {
        problem = null;
        double? scoreMaximum = null;
        if (json.TryGetProperty("scoreMaximum", out var max))
        {
            if (max.ValueKind != JsonValueKind.Number || max.GetDouble() <= 0)
            {
                problem = "scoreMaximum must be a number greater than 0.";
            }
            else
            {
                scoreMaximum = max.GetDouble();
            }
        }
        else if (creating)
        {
            problem = "scoreMaximum is required.";
        }

        var label = OptionalString(json, "label");
        if (problem is null && (creating || json.TryGetProperty("label", out _)) && string.IsNullOrWhiteSpace(label))
        {
            problem = "label is required and must be a non-empty string.";
        }

        foreach (var name in new[] { "resourceId", "tag", "resourceLinkId", "endDateTime" })
        {
            if (problem is null && json.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                problem = $"{name} must be a string.";
            }
        }

        if (problem is null && OptionalString(json, "endDateTime") is { } end && !DateTimeOffset.TryParse(end, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            problem = "endDateTime must be an ISO 8601 date and time.";
        }

        return new LineItemFields(scoreMaximum, label, OptionalString(json, "resourceId"), OptionalString(json, "tag"), OptionalString(json, "endDateTime"));
    }

    private sealed record Score(
        string UserId,
        double? ScoreGiven,
        double? ScoreMaximum,
        string? Comment,
        DateTimeOffset Timestamp,
        string TimestampText,
        string ActivityProgress,
        string GradingProgress);

    private static Score? ReadScore(JsonElement json, out string? problem, out int status)
    {
        status = StatusCodes.Status400BadRequest;
        var userId = json.TryGetProperty("userId", out var u) && u.ValueKind is JsonValueKind.String or JsonValueKind.Number ? u.ToString() : null;
        var timestampText = OptionalString(json, "timestamp");
        var activity = OptionalString(json, "activityProgress");
        var grading = OptionalString(json, "gradingProgress");
        double? given = null;
        double? maximum = null;
        problem = null;

        if (string.IsNullOrEmpty(userId))
        {
            problem = "userId is required.";
        }
        else if (timestampText is null || !DateTimeOffset.TryParse(timestampText, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            problem = "timestamp is required and must be an ISO 8601 date and time.";
        }
        else if (activity is null || !ActivityProgress.Contains(activity))
        {
            problem = $"activityProgress must be one of {string.Join(", ", ActivityProgress)}.";
        }
        else if (grading is null || !GradingProgress.Contains(grading))
        {
            problem = $"gradingProgress must be one of {string.Join(", ", GradingProgress)}.";
        }
        else if (json.TryGetProperty("comment", out var c) && c.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
        {
            problem = "comment must be a string.";
        }

        if (problem is null && json.TryGetProperty("scoreGiven", out var g) && g.ValueKind != JsonValueKind.Null)
        {
            if (g.ValueKind != JsonValueKind.Number || g.GetDouble() < 0)
            {
                problem = "scoreGiven must be a number of at least 0.";
            }
            else
            {
                given = g.GetDouble();
            }
        }

        if (problem is null && json.TryGetProperty("scoreMaximum", out var m) && m.ValueKind != JsonValueKind.Null)
        {
            if (m.ValueKind != JsonValueKind.Number || m.GetDouble() <= 0)
            {
                problem = "scoreMaximum must be a number greater than 0.";
            }
            else
            {
                maximum = m.GetDouble();
            }
        }

        if (problem is null && given is not null && maximum is null)
        {
            status = StatusCodes.Status422UnprocessableEntity;
            problem = "ScoreMaximum not supplied when ScoreGiven present.";
        }

        return problem is not null
            ? null
            : new Score(userId!, given, maximum, OptionalString(json, "comment"),
                DateTimeOffset.Parse(timestampText!, CultureInfo.InvariantCulture), timestampText!, activity!, grading!);
    }

    private static string? OptionalString(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox LMS created line item {LineItemId} in {CourseId}")]
    private static partial void LogLineItemCreated(ILogger logger, long lineItemId, string courseId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox LMS stored a score on line item {LineItemId} for {PersonId} ({GradingProgress})")]
    private static partial void LogScored(ILogger logger, long lineItemId, string personId, string gradingProgress);
}
