using System.Text.Json;
using LtiMicroCred.Sandbox.Store;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Sandbox;

/// <summary>The pages and launch steps of the sandbox LMS. They reach the tool only through the browser, never in-process.</summary>
internal static partial class SandboxEndpoints
{
    public const string LogCategory = "LtiMicroCred.Sandbox";

    /// <summary>
    /// Who is using the sandbox in this browser, remembered from the last course page opened, so the REST consent
    /// page knows whom it asks (as Canvas knows from its session).
    /// </summary>
    public const string PersonCookie = "sandbox_person";

    // Scripts and styles are files, so no inline code is needed; framing is allowed for this origin only,
    // because the course page frames the launch pages.
    private const string ContentSecurityPolicy =
        "script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

    public static IResult Home(HttpContext context, SandboxLms lms) =>
        Html(context, SandboxPages.Home(lms, Root(context), context.Request.Scheme + "://" + context.Request.Host));

    public static IResult Course(HttpContext context, SandboxLms lms, SandboxStore store, string courseId, string? person)
    {
        var course = lms.FindCourse(courseId);
        var who = lms.FindPerson(person);
        if (course is null || who is null)
        {
            return NotFound(context, course is null ? Missing("course", courseId) : Missing("person", person));
        }

        RememberPerson(context, who);
        return Html(context, SandboxPages.Course(Root(context), lms, store, course, who));
    }

    /// <summary>The submissions of one assignment, as the person may see them (everyone's for graders).</summary>
    public static IResult Assignment(HttpContext context, SandboxLms lms, SandboxStore store, string courseId, long assignmentId, string? person)
    {
        var course = lms.FindCourse(courseId);
        var who = lms.FindPerson(person);
        if (course is null || who is null)
        {
            return NotFound(context, course is null ? Missing("course", courseId) : Missing("person", person));
        }

        var assignment = store.FindAssignment(course.Id, assignmentId);
        return assignment is null
            ? NotFound(context, $"Course '{course.Id}' has no assignment {assignmentId}.")
            : Html(context, SandboxPages.Submissions(Root(context), lms, store, course, assignment, who));
    }

    /// <summary>Step one of a resource link launch: a third-party initiated login, posted to the tool's login initiation URL.</summary>
    public static IResult Launch(
        HttpContext context,
        SandboxLms lms,
        SandboxStore store,
        SandboxMessageHints hints,
        string? person,
        string? course,
        string? link,
        string? frame)
    {
        var who = lms.FindPerson(person);
        var where = lms.FindCourse(course);
        if (who is null || where is null)
        {
            return NotFound(context, who is null ? Missing("person", person) : Missing("course", course));
        }

        var resourceLink = store.FindResourceLink(string.IsNullOrEmpty(link) ? SandboxSeed.DefaultResourceLinkId(where) : link);
        if (resourceLink is null || resourceLink.CourseId != where.Id)
        {
            return NotFound(context, $"Course '{where.Id}' has no resource link '{link}'.");
        }

        return LoginInitiation(context, lms, hints, who, where, frame == "1", resourceLink);
    }

    /// <summary>
    /// Sends the browser to the tool's login initiation URL. <paramref name="link"/> null starts a deep linking
    /// request instead of a resource link launch.
    /// </summary>
    public static IResult LoginInitiation(
        HttpContext context,
        SandboxLms lms,
        SandboxMessageHints hints,
        SandboxPerson person,
        SandboxCourse course,
        bool inFrame,
        SandboxResourceLink? link)
    {
        var platform = lms.Platform;
        var fields = new List<KeyValuePair<string, string>>
        {
            new("iss", platform.Issuer),
            new("login_hint", person.Id),
            new("target_link_uri", link is null ? lms.ToolDeepLinkingUrl : link.Url ?? lms.ToolLaunchUrl),
            new("lti_message_hint", hints.Create(person, course, inFrame, link?.Id)),
            new("client_id", platform.ClientId),
            new("lti_deployment_id", platform.DeploymentId),
        };
        if (inFrame)
        {
            // Tells the tool it may keep launch state in the course page through postMessage, where cookies may be blocked.
            fields.Add(new("lti_storage_target", "_parent"));
        }

        NoStore(context);
        return Html(context, SandboxPages.AutoPost(Root(context), "Opening the tool as " + person.Name, lms.ToolLoginInitiationUrl, fields));
    }

    /// <summary>Step two: the OIDC authorization endpoint, which answers a valid request with a signed id_token.</summary>
    public static async Task<IResult> AuthorizeAsync(
        HttpContext context,
        SandboxLms lms,
        SandboxStore store,
        SandboxMessageHints hints,
        SandboxIdTokenFactory tokens,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var parameters = HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType
            ? (IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>)await context.Request.ReadFormAsync(cancellationToken)
            : context.Request.Query;
        var request = SandboxAuthorizationRequest.Validate(parameters, lms, store, hints, out var problem);
        var logger = loggers.CreateLogger(LogCategory);
        NoStore(context);
        if (request is null)
        {
            LogRefused(logger, problem);
            // No redirect on error: a request that fails these checks cannot be trusted to name where to send the answer.
            return Html(
                context,
                SandboxPages.Problem(
                    Root(context),
                    "The sandbox LMS refused the login request",
                    problem,
                    "The tool sent an authorization request that LTI 1.3 does not allow, so a real LMS would refuse it too."),
                StatusCodes.Status400BadRequest);
        }

        var idToken = tokens.Create(request);
        LogIssued(logger, request.Hint.MessageType, request.Person.Id, request.Course.Id);
        return Html(
            context,
            SandboxPages.AutoPost(
                Root(context),
                "Opening the tool as " + request.Person.Name,
                request.RedirectUri,
                [new("id_token", idToken), new("state", request.State)]));
    }

    public static IResult Jwks(HttpContext context, SandboxLms lms)
    {
        // The key changes at every restart, so a tool must never cache it for long.
        context.Response.Headers.CacheControl = "no-cache";
        var json = JsonSerializer.Serialize(new Dictionary<string, object> { ["keys"] = new[] { lms.PublicJwk() } });
        return Results.Content(json, "application/json");
    }

    public static IResult Asset(string content, string contentType) => Results.Content(content, contentType);

    public static IResult NotFound(HttpContext context, string message) =>
        Html(
            context,
            SandboxPages.Problem(Root(context), "Not found in the Sandbox LMS", message, "Go back to the Sandbox LMS home page and pick a person and course from there."),
            StatusCodes.Status404NotFound);

    public static string Missing(string kind, string? id) =>
        string.IsNullOrEmpty(id) ? $"The address does not say which {kind} to use (?{kind}=...)." : $"There is no {kind} '{id}' in the sandbox.";

    public static IResult Html(HttpContext context, string html, int statusCode = StatusCodes.Status200OK)
    {
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: statusCode);
    }

    // Launch pages carry one-time values (hints, tokens): a back button must not replay them from cache.
    public static void NoStore(HttpContext context) => context.Response.Headers.CacheControl = "no-store";

    public static string Root(HttpContext context) => context.Request.PathBase + SandboxLms.PathPrefix;

    /// <summary>Remembers the sandbox person of this browser; a dev convenience, so it is neither secret nor signed.</summary>
    public static void RememberPerson(HttpContext context, SandboxPerson person) =>
        context.Response.Cookies.Append(PersonCookie, person.Id, new CookieOptions
        {
            Path = Root(context),
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            IsEssential = true,
        });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox LMS refused an authorization request: {Problem}")]
    private static partial void LogRefused(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox LMS issued an id_token ({MessageType}) for {PersonId} in {CourseId}")]
    private static partial void LogIssued(ILogger logger, string messageType, string personId, string courseId);
}
