using System.Text;
using System.Text.Encodings.Web;

namespace LtiMicroCred.Sandbox;

/// <summary>
/// The sandbox's HTML. Every value goes through <see cref="HtmlEncoder"/>, including the seeded ones, so the pages
/// stay safe when someone later lets people or courses come from configuration.
/// </summary>
internal static class SandboxPages
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
            .Append("</dl>");
        return Layout("Sandbox LMS", root, html.ToString(), mainClass: "narrow");
    }

    /// <summary>A course page with LMS chrome around the tool's iframe, as Canvas shows an LTI tool.</summary>
    public static string Course(string root, SandboxCourse course, SandboxPerson person)
    {
        var bar =
            "<header class=\"lms-bar\"><span class=\"district\">" + E(SandboxSeed.DistrictName) + " (Sandbox LMS)</span>" +
            "<span>Signed in as <strong>" + E(person.Name) + "</strong></span>" +
            "<nav aria-label=\"Sandbox\"><a href=\"" + E(root) + "\">Switch person</a></nav></header>";
        var body =
            "<main><h1>" + E(course.Title) + "</h1>" +
            "<p>Course " + E(course.Label) + ". The tool below runs in an iframe, as it would in the district's LMS.</p>" +
            "<iframe class=\"tool\" name=\"tool-frame\" title=\"LtiMicroCred tool\" allow=\"clipboard-write\" src=\"" +
            E(LaunchUrl(root, person, course, inFrame: true)) + "\"></iframe></main>";
        // The storage script goes in the head so it listens before the tool frame can ask anything.
        return Document(course.Title + " - Sandbox LMS", root, bar + body, headScript: SandboxAssets.PlatformStorageScriptPath);
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

    private static string LaunchUrl(string root, SandboxPerson person, SandboxCourse course, bool inFrame) =>
        root + "/launch?person=" + Uri.EscapeDataString(person.Id) + "&course=" + Uri.EscapeDataString(course.Id) + (inFrame ? "&frame=1" : "");

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
