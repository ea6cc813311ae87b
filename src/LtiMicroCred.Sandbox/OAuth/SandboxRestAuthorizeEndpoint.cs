using LtiMicroCred.Sandbox.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace LtiMicroCred.Sandbox.OAuth;

/// <summary>
/// GET/POST /login/oauth2/auth: the consent step of Canvas's REST OAuth 2 code flow. The person consenting is the
/// sandbox user of this browser: <c>?as_user=teacher-ada</c> when given (and remembered), else the person last
/// chosen on a course page (the <see cref="SandboxEndpoints.PersonCookie"/> cookie), else the page asks who you are.
/// </summary>
internal static partial class SandboxRestAuthorizeEndpoint
{
    /// <summary>How long a consent page may sit open before its Authorize button stops working.</summary>
    public static readonly TimeSpan ConsentLifetime = TimeSpan.FromMinutes(10);

    public static IResult Show(HttpContext context, SandboxLms lms, SandboxSeal seal, TimeProvider timeProvider, ILoggerFactory loggers)
    {
        var query = context.Request.Query;
        var root = SandboxEndpoints.Root(context);
        var clientId = query["client_id"].ToString();
        var redirectUri = query["redirect_uri"].ToString();
        var state = query["state"].ToString();
        SandboxEndpoints.NoStore(context);

        // Until client_id and redirect_uri check out, nothing can be sent back: answer on this page instead.
        if (clientId != lms.Options.RestClientId)
        {
            return Refuse(context, loggers, clientId.Length == 0
                ? "client_id is missing."
                : $"client_id '{clientId}' is not a developer key of this LMS (the REST key is '{lms.Options.RestClientId}').");
        }

        if (!lms.IsRestRedirectUri(redirectUri))
        {
            return Refuse(context, loggers, redirectUri.Length == 0
                ? "redirect_uri is missing."
                : $"redirect_uri '{redirectUri}' is not registered on the developer key.");
        }

        if (query["response_type"].ToString() != "code")
        {
            return Results.Redirect(Append(redirectUri, ("error", "unsupported_response_type"), ("state", state)));
        }

        var asUser = query["as_user"].ToString();
        var person = lms.FindPerson(asUser.Length > 0 ? asUser : context.Request.Cookies[SandboxEndpoints.PersonCookie]);
        if (person is null)
        {
            return SandboxEndpoints.Html(context, SandboxPages.ChoosePerson(root, lms.People,
                who => QueryHelpers.AddQueryString(root + SandboxLms.RestAuthorizePath,
                    query.Where(kv => kv.Key != "as_user").SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string?>(kv.Key, v)))
                        .Append(new KeyValuePair<string, string?>("as_user", who.Id)))));
        }

        if (asUser.Length > 0)
        {
            SandboxEndpoints.RememberPerson(context, person);
        }

        var ticket = seal.Seal(new ConsentTicket(clientId, redirectUri, state, person.Id,
            (timeProvider.GetUtcNow() + ConsentLifetime).ToUnixTimeSeconds()));
        return SandboxEndpoints.Html(context, SandboxPages.Consent(root, person, new Uri(redirectUri).GetLeftPart(UriPartial.Authority), ticket));
    }

    public static async Task<IResult> DecideAsync(
        HttpContext context,
        SandboxLms lms,
        SandboxSeal seal,
        SandboxAccessTokens tokens,
        TimeProvider timeProvider,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        SandboxEndpoints.NoStore(context);
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(cancellationToken) : null;
        var ticket = seal.Unseal<ConsentTicket>(form?["ticket"].ToString());
        if (ticket is null || timeProvider.GetUtcNow() >= DateTimeOffset.FromUnixTimeSeconds(ticket.Exp) || lms.FindPerson(ticket.PersonId) is null)
        {
            return Refuse(context, loggers,
                "This consent page has expired or did not come from this sandbox. Start the connection from the tool again.");
        }

        var logger = loggers.CreateLogger(SandboxEndpoints.LogCategory);
        if (form!["decision"].ToString() != "authorize")
        {
            LogDenied(logger, ticket.PersonId);
            return Results.Redirect(Append(ticket.RedirectUri, ("error", "access_denied"), ("state", ticket.State)));
        }

        var code = tokens.IssueCode(ticket.PersonId, ticket.ClientId, ticket.RedirectUri);
        LogAuthorized(logger, ticket.PersonId);
        return Results.Redirect(Append(ticket.RedirectUri, ("code", code), ("state", ticket.State)));
    }

    private static string Append(string uri, params (string Name, string Value)[] parameters) =>
        QueryHelpers.AddQueryString(uri, parameters.Where(p => p.Name != "state" || p.Value.Length > 0)
            .Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)));

    private static IResult Refuse(HttpContext context, ILoggerFactory loggers, string problem)
    {
        LogRefused(loggers.CreateLogger(SandboxEndpoints.LogCategory), problem);
        return SandboxEndpoints.Html(context, SandboxPages.Problem(SandboxEndpoints.Root(context), "The sandbox LMS refused the authorization request",
            problem, "A real Canvas would refuse it too. Check the developer key settings the tool uses."), StatusCodes.Status400BadRequest);
    }

    /// <summary>What the consent form carries back, sealed so the browser cannot change whom or where it is for.</summary>
    internal sealed record ConsentTicket(string ClientId, string RedirectUri, string State, string PersonId, long Exp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sandbox LMS refused a REST authorization request: {Problem}")]
    private static partial void LogRefused(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox LMS: {PersonId} authorized the REST developer key")]
    private static partial void LogAuthorized(ILogger logger, string personId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sandbox LMS: {PersonId} denied the REST developer key")]
    private static partial void LogDenied(ILogger logger, string personId);
}
