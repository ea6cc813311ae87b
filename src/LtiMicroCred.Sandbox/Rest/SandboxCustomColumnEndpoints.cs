using System.Globalization;
using System.Text.Json.Nodes;
using LtiMicroCred.Sandbox.Http;
using LtiMicroCred.Sandbox.OAuth;
using LtiMicroCred.Sandbox.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LtiMicroCred.Sandbox.Rest;

/// <summary>
/// Canvas's custom gradebook columns, where a tool can show its own status beside the grades (for example the
/// review state of a microcredential). Only graders may read or write them.
/// </summary>
internal static class SandboxCustomColumnEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var columns = api.MapGroup("/v1/courses/{courseId}/custom_gradebook_columns");
        columns.MapGet("/", List);
        columns.MapPost("/", CreateAsync);
        columns.MapPut("/{columnId}", UpdateAsync);
        columns.MapGet("/{columnId}/data", ListData);
        columns.MapPut("/{columnId}/data/{userId}", SetDatumAsync);
    }

    private static IResult List(HttpContext context, string courseId, SandboxLms lms, SandboxStore store, SandboxAccessTokens tokens)
    {
        if (Authorize(context, lms, tokens, courseId, out var course) is { } refused)
        {
            return refused;
        }

        var includeHidden = context.Request.Query["include_hidden"].ToString() is "true" or "1";
        var page = SandboxPaging.Page(context, lms, store.Columns(course!.Id).Where(c => includeHidden || !c.Hidden).ToList(), "per_page");
        return SandboxJson.Ok(SandboxJson.Array(page.Select(c => (JsonNode)SandboxCanvasJson.Column(c))), SandboxMediaTypes.Json);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context,
        string courseId,
        SandboxLms lms,
        SandboxStore store,
        SandboxAccessTokens tokens,
        CancellationToken cancellationToken)
    {
        if (Authorize(context, lms, tokens, courseId, out var course) is { } refused)
        {
            return refused;
        }

        var fields = await SandboxRequestBody.ReadAsync(context.Request, cancellationToken);
        if (fields is null)
        {
            return SandboxJson.RestError(StatusCodes.Status400BadRequest, "The body must be a form or a JSON object.");
        }

        var title = fields.GetValueOrDefault("column[title]");
        if (string.IsNullOrWhiteSpace(title))
        {
            return TitleBlank();
        }

        if (ReadColumnFlags(fields, out var position, out var hidden, out var teacherNotes, out var readOnly) is { } invalid)
        {
            return invalid;
        }

        var column = store.AddColumn(new SandboxCustomColumn(0, course!.Id, title, position ?? 0, hidden ?? false, teacherNotes ?? false, readOnly ?? false));
        return SandboxJson.Ok(SandboxCanvasJson.Column(column), SandboxMediaTypes.Json);
    }

    private static async Task<IResult> UpdateAsync(
        HttpContext context,
        string courseId,
        string columnId,
        SandboxLms lms,
        SandboxStore store,
        SandboxAccessTokens tokens,
        CancellationToken cancellationToken)
    {
        if (Authorize(context, lms, tokens, courseId, out var course) is { } refused)
        {
            return refused;
        }

        var fields = await SandboxRequestBody.ReadAsync(context.Request, cancellationToken);
        if (fields is null)
        {
            return SandboxJson.RestError(StatusCodes.Status400BadRequest, "The body must be a form or a JSON object.");
        }

        var title = fields.GetValueOrDefault("column[title]");
        if (title is not null && string.IsNullOrWhiteSpace(title))
        {
            return TitleBlank();
        }

        if (ReadColumnFlags(fields, out var position, out var hidden, out var teacherNotes, out var readOnly) is { } invalid)
        {
            return invalid;
        }

        var updated = long.TryParse(columnId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? store.UpdateColumn(course!.Id, id, c => c with
            {
                Title = title ?? c.Title,
                Position = position ?? c.Position,
                Hidden = hidden ?? c.Hidden,
                TeacherNotes = teacherNotes ?? c.TeacherNotes,
                ReadOnly = readOnly ?? c.ReadOnly,
            })
            : null;
        return updated is null ? SandboxJson.NotFound() : SandboxJson.Ok(SandboxCanvasJson.Column(updated), SandboxMediaTypes.Json);
    }

    private static IResult ListData(HttpContext context, string courseId, string columnId, SandboxLms lms, SandboxStore store, SandboxAccessTokens tokens)
    {
        if (Authorize(context, lms, tokens, courseId, out var course) is { } refused)
        {
            return refused;
        }

        if (FindColumn(store, course!, columnId) is not { } column)
        {
            return SandboxJson.NotFound();
        }

        var page = SandboxPaging.Page(context, lms, store.ColumnData(column.Id), "per_page");
        return SandboxJson.Ok(SandboxJson.Array(page.Select(d => (JsonNode)SandboxCanvasJson.Datum(d))), SandboxMediaTypes.Json);
    }

    private static async Task<IResult> SetDatumAsync(
        HttpContext context,
        string courseId,
        string columnId,
        string userId,
        SandboxLms lms,
        SandboxStore store,
        SandboxAccessTokens tokens,
        CancellationToken cancellationToken)
    {
        if (Authorize(context, lms, tokens, courseId, out var course) is { } refused)
        {
            return refused;
        }

        // Canvas: the user must be a student the caller can see, else 404.
        if (FindColumn(store, course!, columnId) is not { } column
            || !long.TryParse(userId, NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            || lms.FindPersonByCanvasId(uid) is not { IsStudent: true } student)
        {
            return SandboxJson.NotFound();
        }

        var fields = await SandboxRequestBody.ReadAsync(context.Request, cancellationToken);
        if (fields is null || !fields.TryGetValue("column_data[content]", out var content))
        {
            return SandboxJson.RestError(StatusCodes.Status400BadRequest, "column_data[content] is required.");
        }

        return SandboxJson.Ok(SandboxCanvasJson.Datum(store.SetColumnDatum(column.Id, student.CanvasId, content)), SandboxMediaTypes.Json);
    }

    private static IResult? Authorize(HttpContext context, SandboxLms lms, SandboxAccessTokens tokens, string courseId, out SandboxCourse? course)
    {
        course = null;
        var (person, refused) = SandboxApiAuth.RequireUser(context, lms, tokens);
        if (person is null)
        {
            return refused;
        }

        course = lms.FindCourseByCanvasId(courseId);
        if (course is null)
        {
            return SandboxJson.NotFound();
        }

        return person.CanGrade ? null : SandboxJson.RestForbiddenAction();
    }

    private static SandboxCustomColumn? FindColumn(SandboxStore store, SandboxCourse course, string columnId) =>
        long.TryParse(columnId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? store.Columns(course.Id).FirstOrDefault(c => c.Id == id) : null;

    private static IResult? ReadColumnFlags(Dictionary<string, string> fields, out int? position, out bool? hidden, out bool? teacherNotes, out bool? readOnly)
    {
        position = null;
        hidden = Flag(fields, "column[hidden]");
        teacherNotes = Flag(fields, "column[teacher_notes]");
        readOnly = Flag(fields, "column[read_only]");
        if (fields.TryGetValue("column[position]", out var text))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || p < 1)
            {
                return SandboxJson.RestError(StatusCodes.Status400BadRequest, "column[position] must be a whole number of at least 1.");
            }

            position = p;
        }

        return null;
    }

    private static bool? Flag(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) ? value is "true" or "1" : null;

    // Canvas renders ActiveRecord validation errors: an object keyed by attribute.
    private static IResult TitleBlank() =>
        SandboxJson.Ok(new JsonObject
        {
            ["errors"] = new JsonObject
            {
                ["title"] = new JsonArray(new JsonObject { ["attribute"] = "title", ["type"] = "blank", ["message"] = "blank" }),
            },
        }, SandboxMediaTypes.Json, StatusCodes.Status400BadRequest);
}
