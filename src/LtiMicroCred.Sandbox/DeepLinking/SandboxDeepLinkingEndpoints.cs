using LtiMicroCred.Sandbox.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Sandbox.DeepLinking;

/// <summary>
/// Deep Linking 2.0 on the platform side: "Add content with the tool" starts an LtiDeepLinkingRequest launch, and
/// the return URL takes the tool's signed LtiDeepLinkingResponse and adds what it chose to the course.
/// </summary>
internal static partial class SandboxDeepLinkingEndpoints
{
    public static IResult Start(HttpContext context, SandboxLms lms, SandboxMessageHints hints, string? person, string? course, string? frame)
    {
        var who = lms.FindPerson(person);
        var where = lms.FindCourse(course);
        if (who is null || where is null)
        {
            return SandboxEndpoints.NotFound(context, who is null ? SandboxEndpoints.Missing("person", person) : SandboxEndpoints.Missing("course", course));
        }

        if (!who.CanEditCourse)
        {
            return SandboxEndpoints.Html(context, SandboxPages.Problem(SandboxEndpoints.Root(context), "Not allowed in this course",
                $"{who.Name} cannot add content to {where.Title}.", "Instructors and administrators add content; switch to one of them."),
                StatusCodes.Status403Forbidden);
        }

        return SandboxEndpoints.LoginInitiation(context, lms, hints, who, where, frame == "1", link: null);
    }

    /// <summary>The deep_link_return_url: the tool's auto-posted form with one field, JWT.</summary>
    public static async Task<IResult> ReturnAsync(
        HttpContext context,
        SandboxLms lms,
        SandboxStore store,
        SandboxDeepLinkingResponseReader reader,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(SandboxEndpoints.LogCategory);
        var root = SandboxEndpoints.Root(context);
        SandboxEndpoints.NoStore(context);
        var jwt = context.Request.HasFormContentType ? (await context.Request.ReadFormAsync(cancellationToken))["JWT"].ToString() : null;
        var (result, problem) = await reader.ReadAsync(jwt, cancellationToken);
        if (result is null)
        {
            LogRefused(logger, problem);
            return SandboxEndpoints.Html(context, SandboxPages.Problem(root, "The sandbox LMS refused the deep linking response", problem,
                "Nothing was added to the course. A real LMS would refuse this response too; fix the tool and choose the content again."),
                StatusCodes.Status400BadRequest);
        }

        var created = result.Items.Select(item =>
        {
            var link = new SandboxResourceLink(Guid.NewGuid().ToString(), result.Course.Id, item.Title, item.Text, item.Url, item.Custom,
                item.DocumentTarget, Seeded: false);
            var lineItem = item.LineItem is { } li
                ? new SandboxLineItem(0, result.Course.Id, li.ScoreMaximum, li.Label ?? item.Title, li.ResourceId, li.Tag, link.Id, null, null,
                    Coupled: true)
                : null;
            return (link, lineItem);
        }).ToList();
        store.AddDeepLinkedContent(created);
        LogAdded(logger, created.Count, result.Course.Id, result.Person.Id);
        return SandboxEndpoints.Html(context, SandboxPages.DeepLinkingDone(root, result, created.Select(c => c.link).ToList()));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox LMS refused a deep linking response: {Problem}")]
    private static partial void LogRefused(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox LMS added {Count} deep-linked items to {CourseId} for {PersonId}")]
    private static partial void LogAdded(ILogger logger, int count, string courseId, string personId);
}
