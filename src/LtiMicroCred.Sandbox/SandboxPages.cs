using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using LtiMicroCred.Sandbox.DeepLinking;
using LtiMicroCred.Sandbox.Store;

namespace LtiMicroCred.Sandbox;

/// <summary>
/// The sandbox's HTML. Every value goes through <see cref="HtmlEncoder"/>, including the seeded ones, so the pages
/// stay safe when someone later lets people or courses come from configuration.
/// </summary>
internal static partial class SandboxPages
{
    /// <param name="root">The sandbox's path on this request, e.g. "/sandbox".</param>
    /// <param name="requestOrigin">Scheme and host the browser used, to warn when it differs from the registered one.</param>
    public static string Home(SandboxLms lms, string root, string requestOrigin)
    {
        var platform = lms.Platform;
        var course = lms.FindCourse(SandboxSeed.MicrocredentialCourseId) ?? lms.Courses[0];
        var html = new StringBuilder();
        html.Append("<h1>Sandbox LMS</h1>")
            .Append("<p>A pretend learning management system for ").Append(E(SandboxSeed.DistrictName))
            .Append(". It launches LtiMicroCred over LTI 1.3 exactly as a real LMS would: a login initiation, ")
            .Append("an OpenID Connect authorization request and a signed id_token, all through the browser. ")
            .Append("Pick a person to see the tool as they would, inside the course page.</p>");

        var registeredOrigin = new Uri(lms.BaseUrl).GetLeftPart(UriPartial.Authority);
        if (!string.Equals(registeredOrigin, requestOrigin, StringComparison.OrdinalIgnoreCase))
        {
            // Launch cookies and the frame's postMessage storage only work when the browser stays on one origin.
            html.Append("<p class=\"notice\" role=\"note\">This page was opened at <code>").Append(E(requestOrigin))
                .Append("</code>, but the sandbox is registered at <code>").Append(E(registeredOrigin))
                .Append("</code>. Launches work best from <a href=\"").Append(E(lms.BaseUrl + SandboxLms.PathPrefix)).Append("\">")
                .Append(E(lms.BaseUrl + SandboxLms.PathPrefix)).Append("</a>.</p>");
        }

        html.Append("<h2 id=\"people\">People in ").Append(E(course.Title)).Append("</h2>")
            .Append("<table aria-labelledby=\"people\"><thead><tr><th scope=\"col\">Person</th><th scope=\"col\">Role</th>")
            .Append("<th scope=\"col\">Launch</th></tr></thead><tbody>");
        foreach (var person in lms.People)
        {
            html.Append("<tr><th scope=\"row\">").Append(E(person.Name)).Append("<br><small>").Append(E(person.Email)).Append("</small></th>")
                .Append("<td>").Append(E(person.Description)).Append("</td><td>")
                .Append(LaunchButton(root, course, person, "Launch as " + person.Name))
                .Append("<br><a href=\"").Append(E(LaunchUrl(root, person, course, inFrame: false)))
                .Append("\" target=\"_blank\" rel=\"noopener\">Open in a new tab (no iframe)<span class=\"visually-hidden\"> as ")
                .Append(E(person.Name)).Append("</span></a></td></tr>");
        }

        html.Append("</tbody></table>");

        var otherCourses = lms.Courses.Where(c => c.Id != course.Id).ToList();
        if (otherCourses.Count > 0)
        {
            html.Append("<h2>Other courses</h2><ul>");
            foreach (var other in otherCourses)
            {
                html.Append("<li>").Append(E(other.Title)).Append(", launch as: ");
                html.AppendJoin(", ", lms.People.Select(p =>
                    "<a href=\"" + E(CourseUrl(root, other, p)) + "\"><span class=\"visually-hidden\">Launch " + E(other.Title) + " as </span>" +
                    E(p.Name) + "</a>"));
                html.Append("</li>");
            }

            html.Append("</ul>");
        }

        html.Append("<h2>Platform registration</h2><p>What the tool has registered for this LMS (done for you at start).</p>")
            .Append("<dl class=\"registration\">")
            .Append(Term("Issuer", platform.Issuer))
            .Append(Term("Client ID", platform.ClientId))
            .Append(Term("Deployment ID", platform.DeploymentId))
            .Append(Term("Authorization endpoint", platform.AuthorizationEndpoint))
            .Append(Term("Token endpoint", platform.TokenEndpoint))
            .Append(Term("Key set (JWKS)", platform.JwksUrl))
            .Append(Term("Tool login initiation URL", lms.ToolLoginInitiationUrl))
            .Append(Term("Tool launch (redirect) URL", lms.ToolLaunchUrl))
            .Append(Term("Tool deep linking URL", lms.ToolDeepLinkingUrl))
            .Append(Term("Tool key set read by the LMS", lms.ToolJwksUrl))
            .Append(Term("Deep linking return URL", platform.DeepLinkingReturnUrl))
            .Append("</dl>")
            .Append("<h2>Canvas services</h2><p>The sandbox answers Canvas's own paths below its root, so a Canvas client ")
            .Append("configured with the base URL below works against it.</p><dl class=\"registration\">")
            .Append(Term("Canvas base URL", platform.CanvasBaseUrl))
            .Append(Term("REST OAuth authorization endpoint", platform.RestAuthorizationEndpoint))
            .Append(Term("REST developer key client ID", platform.RestClientId))
            .Append(lms.RestSecretGenerated
                ? Term("REST developer key secret (made at start)", platform.RestClientSecret)
                : "<dt>REST developer key secret</dt><dd>As configured in <code>Sandbox:RestClientSecret</code>.</dd>")
            .Append("</dl>");
        return Layout("Sandbox LMS", root, html.ToString(), mainClass: "narrow");
    }

    /// <summary>
    /// A course page with LMS chrome around the tool's iframe, as Canvas shows an LTI tool, and below it the course's
    /// content (resource links), assignments and a small gradebook of the tool's line items.
    /// </summary>
    public static string Course(string root, SandboxLms lms, SandboxStore store, SandboxCourse course, SandboxPerson person)
    {
        var html = new StringBuilder();
        html.Append(LmsBar(root, person))
            .Append("<main><h1>").Append(E(course.Title)).Append("</h1>")
            .Append("<p>Course ").Append(E(course.Label)).Append(". The tool below runs in an iframe, as it would in the district's LMS.</p>")
            .Append("<iframe class=\"tool\" name=\"tool-frame\" title=\"LtiMicroCred tool\" allow=\"clipboard-write\" src=\"")
            .Append(E(LaunchUrl(root, person, course, inFrame: true))).Append("\"></iframe>");

        // Course content: every resource link, each launchable in the frame above or on its own.
        var lineItems = store.LineItems(course.Id);
        html.Append("<section aria-labelledby=\"content-heading\"><h2 id=\"content-heading\">Course content</h2><ul class=\"links\">");
        foreach (var link in store.ResourceLinks(course.Id))
        {
            html.Append("<li><strong>").Append(E(link.Title)).Append("</strong>");
            if (link.Text is not null)
            {
                html.Append(" <span class=\"muted\">").Append(E(link.Text)).Append("</span>");
            }

            var graded = lineItems.FirstOrDefault(li => li.ResourceLinkId == link.Id);
            if (graded is not null)
            {
                html.Append(" <small>(graded: ").Append(E(graded.Label)).Append(", ").Append(Number(graded.ScoreMaximum)).Append(" points)</small>");
            }

            html.Append("<br><a href=\"").Append(E(LaunchUrl(root, person, course, inFrame: true, link.Id)))
                .Append("\" target=\"tool-frame\">Open in the tool frame<span class=\"visually-hidden\">: ").Append(E(link.Title)).Append("</span></a>")
                .Append(" | <a href=\"").Append(E(LaunchUrl(root, person, course, inFrame: false, link.Id)))
                .Append("\" target=\"_blank\" rel=\"noopener\">Open in a new tab<span class=\"visually-hidden\">: ").Append(E(link.Title))
                .Append("</span></a></li>");
        }

        html.Append("</ul>");
        if (person.CanEditCourse)
        {
            html.Append("<p><a class=\"button\" target=\"tool-frame\" href=\"")
                .Append(E(root + "/deep-linking/start?person=" + Uri.EscapeDataString(person.Id) + "&course=" + Uri.EscapeDataString(course.Id) + "&frame=1"))
                .Append("\">Add content with the tool</a> <span class=\"muted\">The tool opens in the frame above to choose activities (LTI Deep Linking).</span></p>");
        }

        html.Append("</section>");

        // Assignments, with links to their submissions.
        var assignments = store.Assignments(course.Id);
        html.Append("<section aria-labelledby=\"assignments-heading\"><h2 id=\"assignments-heading\">Assignments</h2>");
        if (assignments.Count == 0)
        {
            html.Append("<p>This course has no assignments.</p>");
        }
        else
        {
            html.Append("<table aria-labelledby=\"assignments-heading\"><thead><tr><th scope=\"col\">Assignment</th><th scope=\"col\">Points</th>")
                .Append("<th scope=\"col\">Submission types</th><th scope=\"col\">Submissions</th></tr></thead><tbody>");
            foreach (var assignment in assignments)
            {
                html.Append("<tr><th scope=\"row\">").Append(E(assignment.Name)).Append("</th><td>").Append(Number(assignment.PointsPossible))
                    .Append("</td><td>").Append(E(string.Join(", ", assignment.SubmissionTypes.Select(t => t.Replace('_', ' ')))))
                    .Append("</td><td><a href=\"").Append(E(AssignmentUrl(root, course, assignment, person))).Append("\">See submissions")
                    .Append("<span class=\"visually-hidden\"> for ").Append(E(assignment.Name)).Append("</span></a></td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</section>");

        // The gradebook: the tool's line items by student, with the scores and comments the tool posted.
        var students = lms.People.Where(p => p.IsStudent && (person.CanGrade || p.Id == person.Id)).ToList();
        html.Append("<section aria-labelledby=\"gradebook-heading\"><h2 id=\"gradebook-heading\">Gradebook</h2>");
        if (lineItems.Count == 0)
        {
            html.Append("<p>No line items yet. The tool adds them through Assignment and Grade Services or with deep linking.</p>");
        }
        else if (students.Count == 0)
        {
            html.Append("<p>").Append(E(person.Name)).Append(" has no grades in this course.</p>");
        }
        else
        {
            html.Append("<table aria-labelledby=\"gradebook-heading\"><thead><tr><th scope=\"col\">Student</th>");
            foreach (var lineItem in lineItems)
            {
                html.Append("<th scope=\"col\">").Append(E(lineItem.Label)).Append(" <small>(").Append(Number(lineItem.ScoreMaximum))
                    .Append(")</small></th>");
            }

            html.Append("</tr></thead><tbody>");
            var results = lineItems.ToDictionary(li => li.Id, li => store.Results(li.Id));
            foreach (var student in students)
            {
                html.Append("<tr><th scope=\"row\">").Append(E(student.Name)).Append("</th>");
                foreach (var lineItem in lineItems)
                {
                    var result = results[lineItem.Id].FirstOrDefault(r => r.UserId == student.Id);
                    html.Append("<td class=\"score\">");
                    if (result is null)
                    {
                        html.Append("<span aria-hidden=\"true\">-</span><span class=\"visually-hidden\">No score</span>");
                    }
                    else
                    {
                        html.Append(result.ResultScore is { } score ? Number(score) + " / " + Number(result.ResultMaximum) : E(result.GradingProgress));
                        if (result.Comment is not null)
                        {
                            html.Append("<small>").Append(E(result.Comment)).Append("</small>");
                        }
                    }

                    html.Append("</td>");
                }

                html.Append("</tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</section></main>");
        // The storage script goes in the head so it listens before the tool frame can ask anything.
        return Document(course.Title + " - Sandbox LMS", root, html.ToString(), headScript: SandboxAssets.PlatformStorageScriptPath);
    }

    /// <summary>The submissions of one assignment: every student's for a grader, one's own for a learner.</summary>
    public static string Submissions(string root, SandboxLms lms, SandboxStore store, SandboxCourse course, SandboxAssignment assignment, SandboxPerson person)
    {
        var html = new StringBuilder();
        html.Append(LmsBar(root, person))
            .Append("<main class=\"narrow\"><p><a href=\"").Append(E(CourseUrl(root, course, person))).Append("\">Back to ").Append(E(course.Title))
            .Append("</a></p><h1>").Append(E(assignment.Name)).Append("</h1>")
            .Append("<p>").Append(Number(assignment.PointsPossible)).Append(" points. Submission types: ")
            .Append(E(string.Join(", ", assignment.SubmissionTypes.Select(t => t.Replace('_', ' ')))));
        if (assignment.DueAt is { } due)
        {
            html.Append(". Due ").Append(E(due.UtcDateTime.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture)));
        }

        html.Append(".</p>");
        var visible = store.Submissions(assignment.Id).Where(s => person.CanGrade || s.UserId == person.CanvasId).ToList();
        if (visible.Count == 0)
        {
            html.Append("<p>").Append(E(person.Name)).Append(" has no submissions to see here.</p>");
        }

        foreach (var submission in visible)
        {
            var student = lms.FindPersonByCanvasId(submission.UserId);
            var id = "submission-" + submission.UserId.ToString(CultureInfo.InvariantCulture);
            html.Append("<section id=\"").Append(id).Append("\" aria-labelledby=\"").Append(id).Append("-heading\"><h2 id=\"").Append(id)
                .Append("-heading\">").Append(E(student?.Name ?? "User " + submission.UserId)).Append("</h2>");
            if (submission.Attempts.Count == 0)
            {
                html.Append("<p>Not submitted.</p>");
            }

            foreach (var attempt in submission.Attempts.Reverse())
            {
                html.Append("<h3>Attempt ").Append(attempt.Number).Append(" <small>(")
                    .Append(E(attempt.SubmissionType.Replace('_', ' '))).Append(", ")
                    .Append(E(attempt.SubmittedAt.UtcDateTime.ToString("d MMMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture))).Append(")</small></h3>");
                if (attempt.Url is not null)
                {
                    html.Append("<p><a href=\"").Append(E(attempt.Url)).Append("\" rel=\"noopener noreferrer\">").Append(E(attempt.Url)).Append("</a></p>");
                }

                if (attempt.Body is not null)
                {
                    // Shown as text: a page of the LMS must never run markup a student typed.
                    html.Append("<blockquote>").Append(E(Tags().Replace(attempt.Body, " ").Trim())).Append("</blockquote>");
                }

                if (attempt.FileIds.Count > 0)
                {
                    html.Append("<ul>");
                    foreach (var file in attempt.FileIds.Select(store.FindFile).OfType<SandboxFile>())
                    {
                        html.Append("<li><a href=\"").Append(E(root + "/files/" + file.Id.ToString(CultureInfo.InvariantCulture) + "/download?verifier=" + file.Uuid))
                            .Append("\">").Append(E(file.DisplayName)).Append("</a> <small>(").Append(file.Content.Length).Append(" bytes)</small></li>");
                    }

                    html.Append("</ul>");
                }
            }

            if (submission.Grade is { } grade)
            {
                html.Append("<p><strong>Grade:</strong> ").Append(E(grade.Grade)).Append(" / ").Append(Number(assignment.PointsPossible))
                    .Append(" (attempt ").Append(grade.Attempt).Append(")</p>");
            }

            if (submission.Comments.Count > 0)
            {
                html.Append("<h3>Comments</h3><ul>");
                foreach (var comment in submission.Comments)
                {
                    html.Append("<li><strong>").Append(E(lms.FindPersonByCanvasId(comment.AuthorId)?.Name ?? "Unknown")).Append(":</strong> ")
                        .Append(E(comment.Text)).Append("</li>");
                }

                html.Append("</ul>");
            }

            html.Append("</section>");
        }

        html.Append("</main>");
        return Document(assignment.Name + " - Sandbox LMS", root, html.ToString());
    }

    /// <summary>The REST developer key's consent page: who is asked, what for, and the two answers.</summary>
    public static string Consent(string root, SandboxPerson person, string toolOrigin, string ticket)
    {
        var html = new StringBuilder();
        html.Append("<h1>Authorize LtiMicroCred</h1>")
            .Append("<p>LtiMicroCred at <code>").Append(E(toolOrigin)).Append("</code> asks to use the Canvas API of the Sandbox LMS as <strong>")
            .Append(E(person.Name)).Append("</strong>: to read assignments, submissions and files, and to comment on submissions.</p>")
            .Append("<form method=\"post\" action=\"").Append(E(root + SandboxLms.RestAuthorizePath)).Append("\">")
            .Append("<input type=\"hidden\" name=\"ticket\" value=\"").Append(E(ticket)).Append("\">")
            .Append("<div class=\"actions\"><button type=\"submit\" name=\"decision\" value=\"authorize\">Authorize</button>")
            .Append("<button type=\"submit\" name=\"decision\" value=\"cancel\" class=\"secondary\">Cancel</button></div></form>")
            .Append("<p class=\"muted\">Not ").Append(E(person.Name)).Append("? Open a course page as someone else, or add <code>as_user=</code> to this address.</p>");
        return Layout("Authorize LtiMicroCred", root, html.ToString(), mainClass: "narrow");
    }

    /// <summary>Asks who is using the sandbox, when nothing says so yet.</summary>
    public static string ChoosePerson(string root, IEnumerable<SandboxPerson> people, Func<SandboxPerson, string> urlFor)
    {
        var html = new StringBuilder();
        html.Append("<h1>Who is signing in?</h1><p>The sandbox does not know who is using this browser yet. Pick a person to continue.</p><ul>");
        foreach (var person in people)
        {
            html.Append("<li><a href=\"").Append(E(urlFor(person))).Append("\">").Append(E(person.Name)).Append("</a> <small>")
                .Append(E(person.Description)).Append("</small></li>");
        }

        html.Append("</ul>");
        return Layout("Who is signing in?", root, html.ToString(), mainClass: "narrow");
    }

    /// <summary>What a valid deep linking response added to the course, with the tool's own message.</summary>
    public static string DeepLinkingDone(string root, SandboxDeepLinkingResult result, IReadOnlyList<SandboxResourceLink> added)
    {
        var html = new StringBuilder();
        html.Append("<h1>").Append(added.Count == 0 ? "Nothing was added" : "Added to " + E(result.Course.Title)).Append("</h1>");
        if (result.Message is not null)
        {
            html.Append("<p role=\"status\">").Append(E(result.Message)).Append("</p>");
        }

        if (result.ErrorMessage is not null)
        {
            html.Append("<p role=\"alert\">").Append(E(result.ErrorMessage)).Append("</p>");
        }

        if (added.Count > 0)
        {
            html.Append("<ul>");
            foreach (var link in added)
            {
                html.Append("<li>").Append(E(link.Title)).Append("</li>");
            }

            html.Append("</ul>");
        }

        html.Append("<p><a href=\"").Append(E(CourseUrl(root, result.Course, result.Person))).Append("\" target=\"_top\">Back to the course</a></p>");
        return Layout("Deep linking done", root, html.ToString(), mainClass: "narrow");
    }

    /// <summary>A page that sends the browser on with a form post, as LMSs do for the steps of an LTI launch.</summary>
    public static string AutoPost(string root, string title, string action, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var html = new StringBuilder();
        html.Append("<h1>").Append(E(title)).Append("</h1>")
            .Append("<form id=\"auto-submit\" method=\"post\" action=\"").Append(E(action)).Append("\">");
        foreach (var (name, value) in fields)
        {
            html.Append("<input type=\"hidden\" name=\"").Append(E(name)).Append("\" value=\"").Append(E(value)).Append("\">");
        }

        html.Append("<noscript><p>Scripts are off in this browser, so press the button to go on.</p>")
            .Append("<button type=\"submit\">Continue</button></noscript></form>");
        return Layout(title, root, html.ToString(), bodyScript: SandboxAssets.AutoSubmitScriptPath);
    }

    /// <summary>A refusal page that says plainly what was wrong with the request.</summary>
    public static string Problem(string root, string title, string problem, string advice) =>
        Layout(
            title,
            root,
            "<h1>" + E(title) + "</h1><p role=\"alert\">" + E(problem) + "</p><p>" + E(advice) + "</p>" +
            "<p><a href=\"" + E(root) + "\">Back to the Sandbox LMS</a></p>",
            mainClass: "narrow");

    private static string LaunchButton(string root, SandboxCourse course, SandboxPerson person, string label) =>
        "<form class=\"inline\" method=\"get\" action=\"" + E(root + "/course/" + Uri.EscapeDataString(course.Id)) + "\">" +
        "<input type=\"hidden\" name=\"person\" value=\"" + E(person.Id) + "\">" +
        "<button type=\"submit\">" + E(label) + "</button></form>";

    private static string CourseUrl(string root, SandboxCourse course, SandboxPerson person) =>
        root + "/course/" + Uri.EscapeDataString(course.Id) + "?person=" + Uri.EscapeDataString(person.Id);

    private static string LaunchUrl(string root, SandboxPerson person, SandboxCourse course, bool inFrame, string? linkId = null) =>
        root + "/launch?person=" + Uri.EscapeDataString(person.Id) + "&course=" + Uri.EscapeDataString(course.Id) +
        (linkId is null ? "" : "&link=" + Uri.EscapeDataString(linkId)) + (inFrame ? "&frame=1" : "");

    private static string AssignmentUrl(string root, SandboxCourse course, SandboxAssignment assignment, SandboxPerson person) =>
        root + "/course/" + Uri.EscapeDataString(course.Id) + "/assignments/" + assignment.Id.ToString(CultureInfo.InvariantCulture) +
        "?person=" + Uri.EscapeDataString(person.Id);

    private static string LmsBar(string root, SandboxPerson person) =>
        "<header class=\"lms-bar\"><span class=\"district\">" + E(SandboxSeed.DistrictName) + " (Sandbox LMS)</span>" +
        "<span>Signed in as <strong>" + E(person.Name) + "</strong></span>" +
        "<nav aria-label=\"Sandbox\"><a href=\"" + E(root) + "\">Switch person</a></nav></header>";

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    private static string Term(string term, string value) => "<dt>" + E(term) + "</dt><dd><code>" + E(value) + "</code></dd>";

    private static string Layout(string title, string root, string mainHtml, string? bodyScript = null, string mainClass = "") =>
        Document(
            title == "Sandbox LMS" ? title : title + " - Sandbox LMS",
            root,
            "<main" + (mainClass.Length > 0 ? " class=\"" + E(mainClass) + "\"" : "") + ">" + mainHtml + "</main>",
            bodyScript: bodyScript);

    private static string Document(string title, string root, string bodyHtml, string? headScript = null, string? bodyScript = null) =>
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">" +
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">" +
        "<title>" + E(title) + "</title>" +
        // An empty icon spares every page a 404 for /favicon.ico in the tool's logs.
        "<link rel=\"icon\" href=\"data:,\">" +
        "<link rel=\"stylesheet\" href=\"" + E(root + SandboxAssets.StyleSheetPath) + "\">" +
        (headScript is null ? "" : "<script src=\"" + E(root + headScript) + "\"></script>") +
        "</head><body>" + bodyHtml +
        (bodyScript is null ? "" : "<script src=\"" + E(root + bodyScript) + "\"></script>") +
        "</body></html>";

    private static string E(string value) => HtmlEncoder.Default.Encode(value);
}
